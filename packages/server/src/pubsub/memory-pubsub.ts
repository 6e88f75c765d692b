/**
 * In-process pub/sub: the default when no broker is configured (one node needs no Redis).
 *
 * Several MemoryPubSub instances can share one MemoryHub, each standing for one server node, so
 * tests can run a cluster in one process. Messages travel as JSON text, like over Redis, so
 * handlers get copies and a payload that could not cross a real broker fails here too.
 * Delivery is asynchronous (a microtask, in publish order), never inside publish() itself, so a
 * handler cannot re-enter the publisher's code half-way, just as with a network broker.
 */
import { PubSubBase } from './pubsub-base.js';

/** The "broker" several in-process nodes share. */
export class MemoryHub {
  readonly #subscribers = new Map<string, Set<MemoryPubSub>>();

  /** @internal */
  add(channel: string, node: MemoryPubSub): void {
    let nodes = this.#subscribers.get(channel);
    if (!nodes) {
      nodes = new Set();
      this.#subscribers.set(channel, nodes);
    }
    nodes.add(node);
  }

  /** @internal */
  remove(channel: string, node: MemoryPubSub): void {
    const nodes = this.#subscribers.get(channel);
    nodes?.delete(node);
    if (nodes?.size === 0) this.#subscribers.delete(channel);
  }

  /** @internal */
  publish(channel: string, json: string): void {
    // The set of receivers is fixed at publish time, as a broker would fix it.
    for (const node of [...(this.#subscribers.get(channel) ?? [])]) {
      queueMicrotask(() => node.receive(channel, json));
    }
  }
}

export interface MemoryPubSubOptions {
  /** Share one hub between instances to simulate several nodes. Default: a private hub. */
  hub?: MemoryHub;
}

export class MemoryPubSub extends PubSubBase {
  readonly kind = 'memory';
  readonly #hub: MemoryHub;
  readonly #subscribed = new Set<string>();

  constructor(options: MemoryPubSubOptions = {}) {
    super();
    this.#hub = options.hub ?? new MemoryHub();
  }

  async ping(): Promise<void> {
    this.assertOpen();
  }

  /** @internal Called by the hub. */
  receive(channel: string, json: string): void {
    this.deliver(channel, json);
  }

  protected async transportPublish(channel: string, json: string): Promise<void> {
    this.#hub.publish(channel, json);
  }

  protected async transportSubscribe(channel: string): Promise<void> {
    this.#subscribed.add(channel);
    this.#hub.add(channel, this);
  }

  protected async transportUnsubscribe(channel: string): Promise<void> {
    this.#subscribed.delete(channel);
    this.#hub.remove(channel, this);
  }

  protected async transportClose(): Promise<void> {
    for (const channel of this.#subscribed) this.#hub.remove(channel, this);
    this.#subscribed.clear();
  }
}

export function createMemoryPubSub(options: MemoryPubSubOptions = {}): MemoryPubSub {
  return new MemoryPubSub(options);
}
