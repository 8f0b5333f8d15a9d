import type { SignalApi } from '@backstage/plugin-signals-react';

type JsonObject = Parameters<Parameters<SignalApi['subscribe']>[1]>[0];

/** A SignalApi the test drives: `emit` delivers a message to the channel's subscribers. */
export function controlledSignals() {
  const listeners = new Map<string, Set<(message: JsonObject) => void>>();
  const signals: SignalApi = {
    subscribe<T extends JsonObject>(
      channel: string,
      onMessage: (message: T) => void,
    ) {
      const set = listeners.get(channel) ?? new Set();
      const listener = onMessage as (message: JsonObject) => void;
      set.add(listener);
      listeners.set(channel, set);
      return { unsubscribe: () => set.delete(listener) };
    },
  };
  const emit = (channel: string, message: JsonObject) =>
    [...(listeners.get(channel) ?? [])].forEach(l => l(message));
  const subscribers = (channel: string) => listeners.get(channel)?.size ?? 0;
  return { signals, emit, subscribers };
}
