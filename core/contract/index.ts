import type { z } from 'zod';
import { agentCalls } from './agents.js';
import { appCalls } from './app.js';
import { clusterStreams } from './cluster.js';
import { eventStreams } from './events.js';
import { jobCalls } from './jobs.js';
import { logCalls, logStreams } from './logs.js';
import { overviewCalls } from './overview.js';
import { profileCalls } from './profiles.js';
import { scalingCalls } from './scaling.js';

export * from './agents.js';
export * from './app.js';
export * from './cluster.js';
export * from './errors.js';
export * from './events.js';
export * from './jobs.js';
export * from './logs.js';
export * from './overview.js';
export * from './profiles.js';
export * from './scaling.js';
export * from './stream.js';
export * from './wire.js';

/** Every request/response call of the console, declared once. */
export const calls = {
  ...appCalls,
  ...profileCalls,
  ...agentCalls,
  ...overviewCalls,
  ...jobCalls,
  ...logCalls,
  ...scalingCalls,
} as const;

/** Every subscription of the console, declared once. */
export const streams = {
  ...eventStreams,
  ...clusterStreams,
  ...logStreams,
} as const;

export type Calls = typeof calls;
export type CallName = keyof Calls;
/** What a caller may pass (before defaults are applied). */
export type CallInput<N extends CallName> = z.input<Calls[N]['input']>;
/** What a handler receives (after parsing). */
export type ParsedCallInput<N extends CallName> = z.output<Calls[N]['input']>;
export type CallOutput<N extends CallName> = z.output<Calls[N]['output']>;

export type Streams = typeof streams;
export type StreamName = keyof Streams;
export type StreamInput<N extends StreamName> = z.input<Streams[N]['input']>;
export type ParsedStreamInput<N extends StreamName> = z.output<Streams[N]['input']>;
export type StreamItem<N extends StreamName> = z.output<Streams[N]['item']>;

export function isCallName(name: string): name is CallName {
  return Object.prototype.hasOwnProperty.call(calls, name);
}
export function isStreamName(name: string): name is StreamName {
  return Object.prototype.hasOwnProperty.call(streams, name);
}

/** The envelope every transport carries for a call. */
export interface CallEnvelope {
  name: string;
  input: unknown;
}
