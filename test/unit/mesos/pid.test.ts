import { describe, expect, it } from 'vitest';
import { ec2PrivateIp, hostPort, parsePid } from '../../../core/mesos/pid.js';

describe('libprocess pids', () => {
  it('splits an agent pid into actor, IP and port', () => {
    expect(parsePid('slave(1)@10.20.1.11:5051')).toEqual({ id: 'slave(1)', ip: '10.20.1.11', port: 5051 });
    expect(parsePid('master@10.20.0.5:5050')).toEqual({ id: 'master', ip: '10.20.0.5', port: 5050 });
  });

  it('keeps a scheduler pid whose actor holds dashes and an IPv6 address in brackets', () => {
    expect(parsePid('scheduler-0f8b7d3e-2c1a@10.20.0.5:8083')).toEqual({ id: 'scheduler-0f8b7d3e-2c1a', ip: '10.20.0.5', port: 8083 });
    expect(parsePid('slave(1)@[fd00::5]:5051')).toEqual({ id: 'slave(1)', ip: 'fd00::5', port: 5051 });
  });

  it.each([
    '',
    '10.0.0.1:5051',
    'slave(1)@10.0.0.1',
    'slave(1)@:5051',
    'slave(1)@10.0.0.1:',
    'slave(1)@10.0.0.1:http',
    'slave(1)@10.0.0.1:70000',
    '@10.0.0.1:5051',
  ])('refuses %j', (pid) => expect(parsePid(pid)).toBeNull());

  it('writes IPv6 hosts in brackets for URLs', () => {
    expect(hostPort('10.0.0.1', 5051)).toBe('10.0.0.1:5051');
    expect(hostPort('fd00::5', 5051)).toBe('[fd00::5]:5051');
  });
});

describe('EC2 private DNS names', () => {
  it('reads the IP the on-call guide reads by eye from the leader hostname', () => {
    expect(ec2PrivateIp('ip-10-130-118-157.ec2.internal')).toBe('10.130.118.157');
    expect(ec2PrivateIp('ip-10-0-0-5.us-west-2.compute.internal')).toBe('10.0.0.5');
    expect(ec2PrivateIp('ip-10-0-0-5')).toBe('10.0.0.5');
  });

  it('gives nothing for other names', () => {
    expect(ec2PrivateIp('mesos-master-1.example.com')).toBeNull();
    expect(ec2PrivateIp('ip-10-0-0.ec2.internal')).toBeNull();
    expect(ec2PrivateIp('ip-10-0-0-256.ec2.internal')).toBeNull();
    expect(ec2PrivateIp('xip-10-0-0-5.ec2.internal')).toBeNull();
  });
});
