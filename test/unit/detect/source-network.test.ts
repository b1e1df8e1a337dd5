import { describe, expect, it } from 'vitest';
import { describeSourceNetwork, inSameIpv4Slash16, sourceNetworkKey } from '../../../src/detect/source-network.js';

describe('sourceNetworkKey', () => {
  it('keys an IPv4 address by its /24', () => {
    expect(sourceNetworkKey('10.1.2.3')).toBe(sourceNetworkKey('10.1.2.250'));
    expect(sourceNetworkKey('10.1.2.3')).not.toBe(sourceNetworkKey('10.1.3.3'));
    expect(describeSourceNetwork('203.0.113.66')).toBe('203.0.113.0/24');
  });

  it('keys an IPv6 address by its /48, however it is written', () => {
    const key = sourceNetworkKey('2001:db8:1:2::7');
    expect(sourceNetworkKey('2001:0db8:0001:ffff:0:0:0:1')).toBe(key);
    expect(sourceNetworkKey('2001:DB8:1::')).toBe(key);
    expect(sourceNetworkKey('2001:db8:2::7')).not.toBe(key);
    // '::' before the third group: the missing groups are zeros.
    expect(sourceNetworkKey('2001:db8::1')).toBe(sourceNetworkKey('2001:db8:0:5::1'));
    expect(describeSourceNetwork('2001:db8:1:2::7')).toBe('2001:db8:1::/48');
  });

  it('ignores an IPv6 zone and reads an IPv4-mapped address as IPv4', () => {
    expect(sourceNetworkKey('fe80:1:2::1%eth0')).toBe(sourceNetworkKey('fe80:1:2::9'));
    expect(sourceNetworkKey('::ffff:10.1.2.3')).toBe(sourceNetworkKey('10.1.2.77'));
    expect(describeSourceNetwork('::FFFF:10.1.2.3')).toBe('10.1.2.0/24');
  });

  it('treats anything that is not an address as its own network', () => {
    for (const text of ['gateway.internal', '10.1.2', '10.1.2.300', '1.2.3.4.5', '12345::1', '']) {
      expect(describeSourceNetwork(text)).toBe(text);
    }
    expect(sourceNetworkKey('gateway.internal')).toBe(sourceNetworkKey('gateway.internal'));
    expect(sourceNetworkKey('gateway.internal')).not.toBe(sourceNetworkKey('gateway.external'));
  });
});

describe('inSameIpv4Slash16', () => {
  it('tells a neighbouring /24 of the same /16 from any other network', () => {
    const first = sourceNetworkKey('10.129.195.14');
    expect(inSameIpv4Slash16('10.129.196.7', first)).toBe(true);
    expect(inSameIpv4Slash16('10.129.0.1', first)).toBe(true);
    expect(inSameIpv4Slash16('10.130.195.14', first)).toBe(false);
    expect(inSameIpv4Slash16('185.220.101.4', first)).toBe(false);
    // IPv6 and unparsed sources are never neighbours.
    expect(inSameIpv4Slash16('2001:db8:1::5', sourceNetworkKey('2001:db8:2::5'))).toBe(false);
    expect(inSameIpv4Slash16('gateway.internal', first)).toBe(false);
  });
});
