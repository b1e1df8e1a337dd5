/*
 * Test-only Kafka broker: hosts librdkafka's mock cluster (the Kafka wire
 * protocol over real TCP on 127.0.0.1) and lets a test drive broker faults
 * through a line protocol on stdin. Built and spawned by
 * test/support/kafka-mock-broker.ts; nothing in src/ depends on it.
 *
 *   mock-broker [--brokers N] [--topic name:partitions]...
 *
 * stdout: one line "BOOTSTRAP host:port,..." once the cluster listens, then one
 *         line "OK" or "ERR <reason>" per command.
 * stdin:  topic <name> <partitions> | down <brokerId> | up <brokerId> |
 *         rtt <brokerId> <ms> | errors <apiKey> <errorCode>... | quit
 *         (brokerId -1 means every broker, as in rdkafka_mock.h)
 * Exits 0 on "quit", stdin EOF (the test process went away) or SIGTERM/SIGINT.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#define MAX_BROKERS 16
#define MAX_LINE 4096
#define MAX_PUSHED_ERRORS 64
#define API_KEY_LEAVE_GROUP 13

static volatile sig_atomic_t stop_requested = 0;

static void on_stop_signal(int signo) {
        (void)signo;
        stop_requested = 1;
}

/* Writes one reply line and flushes it: the TS fixture waits for every line,
 * so a reply left in the stdio buffer would hang the test. */
static void reply(const char *fmt, ...) {
        va_list ap;
        va_start(ap, fmt);
        vfprintf(stdout, fmt, ap);
        va_end(ap);
        fputc('\n', stdout);
        if (fflush(stdout) != 0)
                exit(0); /* Nobody is listening any more. */
}

static int parse_int(const char *text, long min, long max, long *out) {
        char *end;
        long value;
        if (!text || !*text)
                return -1;
        errno = 0;
        value = strtol(text, &end, 10);
        if (errno || *end || value < min || value > max)
                return -1;
        *out = value;
        return 0;
}

/* Replication factor of created topics: like a real cluster's default, capped
 * by the broker count (the mock refuses more replicas than brokers). */
static int replication_factor(int broker_count) {
        return broker_count < 3 ? broker_count : 3;
}

static const char *create_topic(rd_kafka_mock_cluster_t *mc, int broker_count,
                                const char *name, const char *partitions_text) {
        long partitions;
        rd_kafka_resp_err_t err;
        if (!name || !*name)
                return "topic name missing";
        if (parse_int(partitions_text, 1, 10000, &partitions))
                return "partitions must be an integer in 1..10000";
        err = rd_kafka_mock_topic_create(mc, name, (int)partitions,
                                         replication_factor(broker_count));
        return err ? rd_kafka_err2str(err) : NULL;
}

static const char *parse_broker_id(const char *text, int broker_count,
                                   int32_t *out) {
        long id;
        if (parse_int(text, -1, broker_count, &id) || id == 0)
                return "broker id must be -1 or 1..broker count";
        *out = (int32_t)id;
        return NULL;
}

/* Runs one command line; returns NULL on success or the reason it failed. */
static const char *run_command(rd_kafka_mock_cluster_t *mc, int broker_count,
                               char *line, int *quit) {
        char *save = NULL;
        char *verb = strtok_r(line, " \t\r", &save);
        char *arg1 = strtok_r(NULL, " \t\r", &save);
        char *arg2 = strtok_r(NULL, " \t\r", &save);
        const char *problem;
        int32_t broker_id;
        rd_kafka_resp_err_t err;

        if (!verb)
                return "empty command";

        if (!strcmp(verb, "quit")) {
                *quit = 1;
                return NULL;
        }

        if (!strcmp(verb, "topic"))
                return create_topic(mc, broker_count, arg1, arg2);

        if (!strcmp(verb, "down") || !strcmp(verb, "up")) {
                if ((problem = parse_broker_id(arg1, broker_count, &broker_id)))
                        return problem;
                err = verb[0] == 'd'
                          ? rd_kafka_mock_broker_set_down(mc, broker_id)
                          : rd_kafka_mock_broker_set_up(mc, broker_id);
                return err ? rd_kafka_err2str(err) : NULL;
        }

        if (!strcmp(verb, "rtt")) {
                long rtt_ms;
                if ((problem = parse_broker_id(arg1, broker_count, &broker_id)))
                        return problem;
                if (parse_int(arg2, 0, INT_MAX, &rtt_ms))
                        return "rtt must be a non-negative integer (ms)";
                err = rd_kafka_mock_broker_set_rtt(mc, broker_id, (int)rtt_ms);
                return err ? rd_kafka_err2str(err) : NULL;
        }

        if (!strcmp(verb, "errors")) {
                /* The next requests of this ApiKey (cluster-wide) fail with
                 * these codes, one each, in order; -195 (__TRANSPORT) makes
                 * the broker drop the connection instead of answering. */
                rd_kafka_resp_err_t codes[MAX_PUSHED_ERRORS];
                size_t count = 0;
                long api_key, code;
                char *code_text = arg2;
                if (parse_int(arg1, 0, SHRT_MAX, &api_key))
                        return "api key must be a non-negative integer";
                while (code_text) {
                        if (count == MAX_PUSHED_ERRORS)
                                return "too many error codes in one command";
                        if (parse_int(code_text, SHRT_MIN, SHRT_MAX, &code))
                                return "error codes must be integers";
                        codes[count++] = (rd_kafka_resp_err_t)code;
                        code_text = strtok_r(NULL, " \t\r", &save);
                }
                if (!count)
                        return "at least one error code required";
                rd_kafka_mock_push_request_errors_array(mc, (int16_t)api_key,
                                                        count, codes);
                return NULL;
        }

        return "unknown command";
}

/* Reads commands until quit, EOF or a stop signal. The stop signals are
 * blocked everywhere (librdkafka's threads inherit that mask) and unblocked
 * only inside ppoll, so they always interrupt this loop rather than landing
 * on a librdkafka thread. */
static void serve_commands(rd_kafka_mock_cluster_t *mc, int broker_count,
                           const sigset_t *wait_mask) {
        char buffer[MAX_LINE];
        size_t used = 0;
        int quit = 0;

        while (!quit && !stop_requested) {
                struct pollfd stdin_poll = {.fd = STDIN_FILENO,
                                            .events = POLLIN};
                ssize_t got;
                char *newline;

                if (ppoll(&stdin_poll, 1, NULL, wait_mask) < 0) {
                        if (errno == EINTR)
                                continue;
                        perror("mock-broker: ppoll");
                        return;
                }

                got = read(STDIN_FILENO, buffer + used, sizeof(buffer) - used);
                if (got < 0) {
                        if (errno == EINTR)
                                continue;
                        perror("mock-broker: read stdin");
                        return;
                }
                if (got == 0)
                        return; /* EOF: the test process closed us. */
                used += (size_t)got;

                while (!quit && (newline = memchr(buffer, '\n', used))) {
                        size_t line_len = (size_t)(newline - buffer);
                        const char *problem;
                        *newline = '\0';
                        problem = run_command(mc, broker_count, buffer, &quit);
                        if (problem)
                                reply("ERR %s", problem);
                        else
                                reply("OK");
                        used -= line_len + 1;
                        memmove(buffer, newline + 1, used);
                }

                if (used == sizeof(buffer)) {
                        reply("ERR command longer than %d bytes", MAX_LINE - 1);
                        used = 0;
                }
        }
}

static void usage_exit(const char *problem) {
        fprintf(stderr,
                "mock-broker: %s\n"
                "usage: mock-broker [--brokers N] [--topic name:partitions]...\n",
                problem);
        exit(2);
}

int main(int argc, char **argv) {
        long broker_count = 1;
        char errstr[512];
        rd_kafka_conf_t *conf;
        rd_kafka_t *rk;
        rd_kafka_mock_cluster_t *mc;
        rd_kafka_resp_err_t err;
        sigset_t stop_signals, wait_mask;
        struct sigaction stop_action = {.sa_handler = on_stop_signal};
        int i;

        sigemptyset(&stop_signals);
        sigaddset(&stop_signals, SIGTERM);
        sigaddset(&stop_signals, SIGINT);
        pthread_sigmask(SIG_BLOCK, &stop_signals, &wait_mask);
        sigdelset(&wait_mask, SIGTERM);
        sigdelset(&wait_mask, SIGINT);
        sigaction(SIGTERM, &stop_action, NULL);
        sigaction(SIGINT, &stop_action, NULL);
        /* A closed stdout shows up as a failed fflush in reply(). */
        signal(SIGPIPE, SIG_IGN);

        for (i = 1; i < argc; i++) {
                if (!strcmp(argv[i], "--brokers") && i + 1 < argc) {
                        if (parse_int(argv[++i], 1, MAX_BROKERS, &broker_count))
                                usage_exit("--brokers must be in 1..16");
                } else if (!strcmp(argv[i], "--topic") && i + 1 < argc) {
                        i++; /* Validated below, once the cluster exists. */
                } else {
                        usage_exit("unknown argument");
                }
        }

        /* The mock cluster lives inside an rd_kafka_t for its bookkeeping; a
         * producer handle that never produces is the usual host (as in
         * librdkafka's own mock tests). It needs no bootstrap.servers. */
        conf = rd_kafka_conf_new();
        if (rd_kafka_conf_set(conf, "log_level", "3", errstr,
                              sizeof(errstr)) != RD_KAFKA_CONF_OK)
                usage_exit(errstr);
        rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
        if (!rk) {
                fprintf(stderr, "mock-broker: rd_kafka_new: %s\n", errstr);
                return 1;
        }

        mc = rd_kafka_mock_cluster_new(rk, (int)broker_count);
        if (!mc) {
                fprintf(stderr, "mock-broker: cannot create mock cluster\n");
                rd_kafka_destroy(rk);
                return 1;
        }

        /* kafkajs 2.2.4 misreads LeaveGroup v3 replies. Debian's 2.0.2 mock
         * already advertises only v0..1 (measured: kafkajs sends v1 and gets
         * errorCode 0); the pin keeps it so when the helper is built against
         * a newer librdkafka whose mock offers v3+. */
        err = rd_kafka_mock_set_apiversion(mc, API_KEY_LEAVE_GROUP, 0, 1);
        if (err) {
                fprintf(stderr, "mock-broker: pin LeaveGroup: %s\n",
                        rd_kafka_err2str(err));
                return 1;
        }

        for (i = 1; i < argc; i++) {
                if (!strcmp(argv[i], "--topic")) {
                        char *spec = argv[++i];
                        char *colon = strrchr(spec, ':');
                        const char *problem;
                        if (!colon)
                                usage_exit("--topic needs name:partitions");
                        *colon = '\0';
                        problem = create_topic(mc, (int)broker_count, spec,
                                               colon + 1);
                        if (problem) {
                                fprintf(stderr,
                                        "mock-broker: topic %s: %s\n", spec,
                                        problem);
                                return 2;
                        }
                } else if (!strcmp(argv[i], "--brokers")) {
                        i++;
                }
        }

        reply("BOOTSTRAP %s", rd_kafka_mock_cluster_bootstraps(mc));

        serve_commands(mc, (int)broker_count, &wait_mask);

        rd_kafka_mock_cluster_destroy(mc);
        rd_kafka_destroy(rk);
        return 0;
}
