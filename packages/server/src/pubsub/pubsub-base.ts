/**
 * What every PubSub adapter shares (after sharedb's lib/pubsub): the local handlers per channel,
 * subscribe/unsubscribe bookkeeping (the broker is told once per channel, however many local
 * handlers there are), message encoding, fan-out to handlers, events and the closed state.
 * An adapter only moves encoded messages: it implements the four protected transport methods
 * and calls `deliver` for each message the broker hands it.
 */
import { decodeMessage, encodeMessage } from './message-codec.js';
import {
  type BrokerMessage,
  type MessageHandler,
  type PubSub,
  PubSubError,
  type PubSubEvents,
  type Unsubscribe,
} from './types.js';

interface ChannelEntry {
  handlers: Set<MessageHandler>;
  /** Settles when the broker has confirmed the subscription. */
  ready: Promise<void>;
}

export abstract class PubSubBase implements PubSub {
  abstract readonly kind: string;
  readonly #channels = new Map<string, ChannelEntry>();
  readonly #listeners: { [E in keyof PubSubEvents]: Set<PubSubEvents[E]> } = {
    reconnect: new Set(),
    error: new Set(),
  };
  #closed = false;

  /** Sends one encoded message to the channel on the broker. */
  protected abstract transportPublish(channel: string, json: string): Promise<void>;
  /** Starts receiving the channel from the broker. */
  protected abstract transportSubscribe(channel: string): Promise<void>;
  /** Stops receiving the channel (no local handler is left). */
  protected abstract transportUnsubscribe(channel: string): Promise<void>;
  /** Disconnects; called once, by close(). */
  protected abstract transportClose(): Promise<void>;
  abstract ping(): Promise<void>;

  async publish(channel: string, message: BrokerMessage): Promise<void> {
    this.assertOpen();
    checkChannel(channel);
    await this.transportPublish(channel, encodeMessage(message));
  }

  async subscribe(channel: string, handler: MessageHandler): Promise<Unsubscribe> {
    this.assertOpen();
    checkChannel(channel);
    if (typeof handler !== 'function') throw new TypeError('subscribe needs a handler function');
    let entry = this.#channels.get(channel);
    if (!entry) {
      entry = { handlers: new Set(), ready: this.transportSubscribe(channel) };
      this.#channels.set(channel, entry);
    }
    entry.handlers.add(handler);
    try {
      await entry.ready;
    } catch (error) {
      this.#removeHandler(channel, entry, handler);
      throw error;
    }
    const subscribed = entry;
    let done: Promise<void> | null = null;
    return () => {
      done ??= this.#removeHandler(channel, subscribed, handler);
      return done;
    };
  }

  /** Channels with at least one local handler (an adapter re-subscribes these after a reconnect). */
  protected get channels(): string[] {
    return [...this.#channels.keys()];
  }

  get closed(): boolean {
    return this.#closed;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#channels.clear();
    await this.transportClose();
  }

  on<E extends keyof PubSubEvents>(event: E, listener: PubSubEvents[E]): () => void {
    const listeners = this.#listeners[event] as Set<PubSubEvents[E]>;
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  }

  /** Hands a message the broker delivered to this channel's handlers. */
  protected deliver(channel: string, json: string): void {
    const entry = this.#channels.get(channel);
    if (!entry || this.#closed) return;
    let message: BrokerMessage;
    try {
      message = decodeMessage(json);
    } catch (error) {
      this.emitError(error);
      return;
    }
    for (const handler of [...entry.handlers]) {
      // Each handler gets its own copy: one of them mutating the message cannot affect another.
      const copy = entry.handlers.size === 1 ? message : (JSON.parse(json) as BrokerMessage);
      try {
        handler(copy, channel);
      } catch (error) {
        this.emitError(error);
      }
    }
  }

  protected emitReconnect(): void {
    for (const listener of [...this.#listeners.reconnect]) {
      try {
        listener();
      } catch (error) {
        this.emitError(error);
      }
    }
  }

  protected emitError(error: unknown): void {
    const asError = error instanceof Error ? error : new Error(String(error));
    for (const listener of [...this.#listeners.error]) {
      try {
        listener(asError);
      } catch {
        // An error listener that throws has nowhere left to report to.
      }
    }
  }

  protected assertOpen(): void {
    if (this.#closed) throw new PubSubError('CLOSED', `the ${this.kind} pub/sub is closed`);
  }

  async #removeHandler(channel: string, entry: ChannelEntry, handler: MessageHandler): Promise<void> {
    entry.handlers.delete(handler);
    if (entry.handlers.size > 0 || this.#channels.get(channel) !== entry || this.#closed) return;
    this.#channels.delete(channel);
    try {
      await this.transportUnsubscribe(channel);
    } catch (error) {
      // No handler is left, so anything still arriving is dropped by deliver(); a lost
      // connection forgets the subscription anyway (we only re-subscribe this.channels).
      this.emitError(error);
    }
  }
}

function checkChannel(channel: unknown): asserts channel is string {
  if (typeof channel !== 'string' || channel === '') {
    throw new PubSubError('INVALID_CHANNEL', 'a channel must be a non-empty string');
  }
}
