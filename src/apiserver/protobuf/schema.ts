/**
 * The shape of the decoder's tables. One entry per protobuf field:
 * `[jsonName, type, flags?]`, where type is a scalar (`string`, `int32`, `bytes`, ...), a message
 * short name (`meta.v1.ObjectMeta`) or `map<K,V>`, and flags are letters:
 *   r  repeated
 *   i  `json:",inline"`: the sub-message's fields are merged into the parent object
 *   z  a scalar kube writes to JSON even when zero (a Go pointer, or a tag without omitempty)
 *   n  absent from the wire means Go's nil, which kube writes as `null` (slice/map/pointer without omitempty)
 */
export type FieldEntry = readonly [jsonName: string, type: string, flags?: string];
export type MessageSchema = Readonly<Record<number, FieldEntry>>;
export type MessageTable = Readonly<Record<string, MessageSchema>>;
