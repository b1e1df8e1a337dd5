// What the model card reports of the model on labelled attacks: how well the model's error, the
// detectors' risk and the two combined by noisy-OR rank attack events above held-out unlabelled
// events (ROC AUC), and how many of each cross the alert threshold with and without the model —
// the question "what does the model add to the detectors", per event, overall and per attack
// kind. Pure arithmetic over errors and risks already computed.
import { type ErrorQuantiles, calibratedScore } from './autoencoder.js';
import type { ModelMetadata } from './model-store.js';

export type LabelledAttackMetrics = NonNullable<ModelMetadata['metrics']['labelledAttacks']>;

export interface MeasuredSet {
  /** The model's reconstruction error per row. */
  errors: Float32Array;
  /** The detectors' combined risk per row. */
  risks: Float32Array;
}

export function labelledAttackMetrics(
  heldOut: MeasuredSet,
  attacks: MeasuredSet & { kinds: readonly string[] },
  quantiles: Pick<ErrorQuantiles, 'p99' | 'p999'>,
  alertThreshold: number,
): LabelledAttackMetrics {
  const scored = (set: MeasuredSet) => {
    const model = Array.from(set.errors, (error) => calibratedScore(error, quantiles));
    const risk = Array.from(set.risks);
    const combined = model.map((score, index) => 1 - (1 - score) * (1 - (risk[index] as number)));
    return { model, risk, combined };
  };
  const benign = scored(heldOut);
  const attack = scored(attacks);
  const share = (values: readonly number[], test: (value: number) => boolean) => (values.length === 0 ? 0 : values.filter(test).length / values.length);
  const alerts = (values: readonly number[]) => share(values, (value) => value >= alertThreshold);
  const byKind: LabelledAttackMetrics['byKind'] = {};
  for (const kind of [...new Set(attacks.kinds)].sort()) {
    const of = (values: readonly number[]) => values.filter((_, index) => attacks.kinds[index] === kind);
    const model = of(attack.model);
    byKind[kind] = {
      rows: model.length,
      detectorsAlert: alerts(of(attack.risk)),
      combinedAlert: alerts(of(attack.combined)),
      modelScored: share(model, (score) => score > 0),
      meanModelScore: model.reduce((sum, score) => sum + score, 0) / model.length,
    };
  }
  return {
    attackRows: attack.model.length,
    heldOutRows: benign.model.length,
    alertThreshold,
    rocAuc: {
      model: rocAuc(heldOut.errors, attacks.errors),
      detectors: rocAuc(heldOut.risks, attacks.risks),
      combined: rocAuc(benign.combined, attack.combined),
    },
    attacksAlerted: { detectors: alerts(attack.risk), combined: alerts(attack.combined) },
    heldOutAlerted: { detectors: alerts(benign.risk), combined: alerts(benign.combined) },
    modelScored: { attacks: share(attack.model, (score) => score > 0), heldOut: share(benign.model, (score) => score > 0) },
    byKind,
  };
}

/**
 * The probability that a random positive outranks a random negative (ties count half): the
 * Mann–Whitney U statistic over both sets' ranks. 0.5 when either set is empty.
 */
export function rocAuc(negatives: ArrayLike<number>, positives: ArrayLike<number>): number {
  if (negatives.length === 0 || positives.length === 0) return 0.5;
  const values = Float64Array.from([...Array.from(negatives), ...Array.from(positives)]);
  const order = Array.from(values.keys()).sort((a, b) => (values[a] as number) - (values[b] as number));
  let positiveRankSum = 0;
  for (let start = 0; start < order.length;) {
    const value = values[order[start] as number];
    let end = start;
    while (end + 1 < order.length && values[order[end + 1] as number] === value) end++;
    const averageRank = (start + end) / 2 + 1; // ranks are 1-based; ties share their mean rank
    for (let i = start; i <= end; i++) if ((order[i] as number) >= negatives.length) positiveRankSum += averageRank;
    start = end + 1;
  }
  const u = positiveRankSum - (positives.length * (positives.length + 1)) / 2;
  return u / (positives.length * negatives.length);
}
