/**
 * How every rule table reads its input: values that are not known yet (cdktf tokens, Terraform unknowns) are set
 * aside, so that the rules that need them are skipped rather than run on a placeholder.
 */

/** Text of a value given as text or bytes (UTF-8). */
export function toText(value: string | Uint8Array): string {
  return typeof value === 'string' ? value : new TextDecoder().decode(value);
}

/** Reads the inputs of one rule context; `unresolved` lists the keys whose value was set aside. */
export interface InputReader<K extends string> {
  /** The keys given a value that is not known yet. */
  readonly unresolved: Set<K>;
  /** The value, or undefined when it is absent or not known yet. */
  readonly take: <T>(key: K, value: T | undefined) => T | undefined;
  /** A list, or undefined when it or any entry is not known yet. */
  readonly takeList: <T>(key: K, value: readonly T[] | undefined) => readonly T[] | undefined;
  /** Text given as text or bytes, or undefined when it is absent or not known yet. */
  readonly takeText: (key: K, value: string | Uint8Array | undefined) => string | undefined;
}

/** An {@link InputReader} that asks `isUnresolved` (default: every value is known). */
export function inputReader<K extends string>(isUnresolved: (value: unknown) => boolean = () => false): InputReader<K> {
  const unresolved = new Set<K>();
  const take = <T>(key: K, value: T | undefined): T | undefined => {
    if (value === undefined) return undefined;
    if (isUnresolved(value)) {
      unresolved.add(key);
      return undefined;
    }
    return value;
  };
  return {
    unresolved,
    take,
    takeList: <T>(key: K, value: readonly T[] | undefined): readonly T[] | undefined => {
      const list = take(key, value);
      if (list?.some((entry) => isUnresolved(entry))) {
        unresolved.add(key);
        return undefined;
      }
      return list;
    },
    takeText: (key: K, value: string | Uint8Array | undefined): string | undefined => {
      const text = take(key, value);
      return text === undefined ? undefined : toText(text);
    },
  };
}
