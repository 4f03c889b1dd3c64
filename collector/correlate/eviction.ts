/**
 * Keeping memory bounded: every open record sits in exactly one idle class (a timeout in
 * capture time) and is released when capture time passes its deadline, or earlier when its
 * table is full. Each class is a queue in order of last activity; touching a record moves it to
 * the end, so with a constant timeout per class the head is always the next deadline: expiry
 * costs O(1) per released record and nothing is ever sorted.
 *
 * The queues are doubly linked lists threaded through the records' own state (IdleNode): a
 * touch relinks two pointers and rewrites a deadline in place. (They were insertion-ordered Maps,
 * where every touch deleted and re-inserted a key: a fifth of correlation's CPU went into those
 * Maps' upkeep, and each entry held a deadline of its own besides.) IdleTracker offers the same
 * for plain keys, for tables whose records have no state object of their own.
 */
import type { EpochMicros } from '../model.js';

/** The links a record carries to sit in an IdleQueues; a record starts with newIdleLinks(). */
export interface IdleNode<C extends string, Self> {
  /** The class whose queue holds the record; undefined when in none. */
  idleClass: C | undefined;
  idleDeadline: EpochMicros;
  idlePrev: Self | undefined;
  idleNext: Self | undefined;
}

/**
 * A record's state starts with these values of IdleNode's fields (written out in its object
 * literal, so they live inside the object): idleDeadline a double from the start, so V8 keeps
 * it as a double field updated in place.
 */
export const IDLE_UNQUEUED = { idleClass: undefined, idleDeadline: Number.NEGATIVE_INFINITY, idlePrev: undefined, idleNext: undefined } as const;

interface Queue<C extends string, T> {
  readonly cls: C;
  readonly timeout: EpochMicros;
  head: T | undefined;
  tail: T | undefined;
  size: number;
}

/** Returned when nothing expired (nearly every check): shared, only ever iterated. */
const NOTHING: never[] = [];

/** Idle queues over records that carry their own links. */
export class IdleQueues<C extends string, T extends IdleNode<C, T>> {
  /**
   * Per class, in the order each class was first used: expiry visits the classes in that order,
   * as it always has (it decides the order in which released records are emitted).
   */
  private queues: Array<Queue<C, T>> = [];
  private readonly byClass = new Map<C, Queue<C, T>>();

  constructor(private readonly timeouts: Readonly<Record<C, EpochMicros>>) {}

  get size(): number {
    let size = 0;
    for (const queue of this.queues) size += queue.size;
    return size;
  }

  /** Records activity on `node` at `at` and puts it in class `cls` (deadline `at` + the class timeout). */
  touch(node: T, cls: C, at: EpochMicros): void {
    this.remove(node);
    const queue = this.queueOf(cls);
    node.idleClass = cls;
    node.idleDeadline = at + queue.timeout;
    node.idlePrev = queue.tail;
    node.idleNext = undefined;
    if (queue.tail === undefined) queue.head = node;
    else queue.tail.idleNext = node;
    queue.tail = node;
    queue.size++;
  }

  /** Takes `node` out of its queue, if it is in one. */
  remove(node: T): void {
    const cls = node.idleClass;
    if (cls === undefined) return;
    const queue = this.byClass.get(cls);
    if (queue === undefined) return;
    const prev = node.idlePrev;
    const next = node.idleNext;
    if (prev === undefined) queue.head = next;
    else prev.idleNext = next;
    if (next === undefined) queue.tail = prev;
    else next.idlePrev = prev;
    node.idlePrev = undefined;
    node.idleNext = undefined;
    node.idleClass = undefined;
    queue.size--;
  }

  /** Empties every queue (the records' links are reset, so they could be queued again). */
  clear(): void {
    for (const queue of this.queues) {
      let node = queue.head;
      while (node !== undefined) {
        const next: T | undefined = node.idleNext;
        node.idlePrev = undefined;
        node.idleNext = undefined;
        node.idleClass = undefined;
        node = next;
      }
    }
    this.queues = [];
    this.byClass.clear();
  }

  /** Removes and returns, with their class, the records whose deadline is at or before `now`. */
  takeExpired(now: EpochMicros): Array<[T, C]> {
    let expired: Array<[T, C]> | undefined;
    for (const queue of this.queues) {
      let node = queue.head;
      while (node !== undefined && node.idleDeadline <= now) {
        const next: T | undefined = node.idleNext;
        this.remove(node);
        (expired ??= []).push([node, queue.cls]);
        node = next;
      }
    }
    return expired ?? NOTHING;
  }

  /** Removes and returns the record with the oldest activity (the heads of the classes compared). */
  takeOldest(): [T, C] | undefined {
    let best: [T, C] | undefined;
    let bestActivity = Infinity;
    for (const queue of this.queues) {
      const head = queue.head;
      if (head === undefined) continue;
      const activity = head.idleDeadline - queue.timeout;
      if (activity < bestActivity) {
        bestActivity = activity;
        best = [head, queue.cls];
      }
    }
    if (best !== undefined) this.remove(best[0]);
    return best;
  }

  private queueOf(cls: C): Queue<C, T> {
    let queue = this.byClass.get(cls);
    if (queue === undefined) {
      queue = { cls, timeout: this.timeouts[cls], head: undefined, tail: undefined, size: 0 };
      this.byClass.set(cls, queue);
      this.queues.push(queue);
    }
    return queue;
  }
}

interface KeyNode<K, C extends string> extends IdleNode<C, KeyNode<K, C>> {
  readonly key: K;
}

/** IdleQueues for plain keys (a string, a number): each key gets a node of its own. */
export class IdleTracker<K, C extends string> {
  private readonly nodes = new Map<K, KeyNode<K, C>>();
  private readonly queues: IdleQueues<C, KeyNode<K, C>>;

  constructor(timeouts: Readonly<Record<C, EpochMicros>>) {
    this.queues = new IdleQueues(timeouts);
  }

  get size(): number {
    return this.nodes.size;
  }

  /** Records activity on `key` at `at` and puts it in class `cls` (deadline `at` + the class timeout). */
  touch(key: K, cls: C, at: EpochMicros): void {
    let node = this.nodes.get(key);
    if (node === undefined) {
      node = { key, idleClass: undefined, idleDeadline: IDLE_UNQUEUED.idleDeadline, idlePrev: undefined, idleNext: undefined };
      this.nodes.set(key, node);
    }
    this.queues.touch(node, cls, at);
  }

  forget(key: K): void {
    const node = this.nodes.get(key);
    if (node === undefined) return;
    this.nodes.delete(key);
    this.queues.remove(node);
  }

  clear(): void {
    this.nodes.clear();
    this.queues.clear();
  }

  /** Removes and returns, with their class, the keys whose deadline is at or before `now`. */
  takeExpired(now: EpochMicros): Array<[K, C]> {
    const expired = this.queues.takeExpired(now);
    if (expired.length === 0) return NOTHING;
    return expired.map(([node, cls]) => {
      this.nodes.delete(node.key);
      return [node.key, cls];
    });
  }

  /** Removes and returns the key with the oldest activity (the heads of the classes compared). */
  takeOldest(): [K, C] | undefined {
    const oldest = this.queues.takeOldest();
    if (oldest === undefined) return undefined;
    this.nodes.delete(oldest[0].key);
    return [oldest[0].key, oldest[1]];
  }
}
