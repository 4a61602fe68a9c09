/**
 * `T` with its `readonly` modifiers removed: for a record built field by field on the hot
 * path (an assignment per optional field instead of a conditional spread, which allocates a
 * temporary object each time) before it is handed out as `T`.
 *
 * @example
 * ```ts
 * const intent: Mutable<CaptureIntent> = { ...required };
 * if (draft.reference !== undefined) intent.reference = draft.reference;
 * ```
 */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };
