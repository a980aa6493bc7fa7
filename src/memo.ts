// What one scan shares between its hosts. Hosts of a fleet mostly print the same captures and reach the same
// results, so work done for one host is reused for the next; all of it lives in one ScanMemo that the scan makes
// and drops, never in a module. Each module that keeps something declares a slot for it here, beside its key.
//
// Key contract (docs/ARCHITECTURE.md says more):
// 1. A memo entry is found again only under a key that covers every input of what it holds: the same definition
//    object (checks, facts, mappings), and equal values for everything else it was made from (capture text and exit
//    code, set values, variant family and id, region, source names).
// 2. What a memo holds is never changed once kept: results, evidence and shared facts are frozen or only read.
// 3. A memo lives for one scan. Nothing in it outlives the ScanMemo object, which holds host values (settings,
//    some of them secret) only as long as the scan does.
// 4. A scan with `memo: false` gives every host a fresh memo, and its reports must be byte-identical to a scan
//    with one memo for all hosts (test/memo.test.ts checks every fixture, the examples and a shuffled fleet).

/** A named place in a memo for one module's values, created on first use in each memo. */
export interface MemoSlot<T> {
  /** What the slot holds and what its key is, for readers of the code and of debug output. */
  readonly name: string;
  readonly create: () => T;
}

export function memoSlot<T>(name: string, create: () => T): MemoSlot<T> {
  return Object.freeze({ name, create });
}

export class ScanMemo {
  private readonly values = new Map<MemoSlot<unknown>, unknown>();

  /**
   * @param shared Whether hosts share this memo (the default). A memo that is not shared is replaced by a fresh one
   * for every host (`forHost`), so nothing one host left can reach another.
   */
  constructor(readonly shared = true) {}

  /** This slot's value in this memo, made on first use. */
  get<T>(slot: MemoSlot<T>): T {
    let value = this.values.get(slot as MemoSlot<unknown>) as T | undefined;
    if (value === undefined) {
      value = slot.create();
      this.values.set(slot as MemoSlot<unknown>, value);
    }
    return value;
  }

  /** The memo a host is scanned with: this one, or a fresh one when hosts do not share. */
  forHost(): ScanMemo {
    return this.shared ? this : new ScanMemo(false);
  }

  /** Names of the slots in use, for tests and debugging. */
  slotNames(): string[] {
    return [...this.values.keys()].map((s) => s.name);
  }
}
