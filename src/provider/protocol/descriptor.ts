/** The shape of the protocol descriptor (descriptor.json): protobufjs' JSON form of the .proto files beside it. */
export interface DescriptorNamespace {
  readonly nested?: Readonly<Record<string, DescriptorNode>>;
}

/** A message, enum, service or namespace of the descriptor. */
export interface DescriptorNode extends DescriptorNamespace {
  readonly fields?: Readonly<Record<string, DescriptorField>>;
  readonly values?: Readonly<Record<string, number>>;
  readonly methods?: Readonly<Record<string, { readonly requestType: string; readonly responseType: string }>>;
}

/** A field of a message. */
export interface DescriptorField {
  readonly type: string;
  readonly id: number;
  readonly rule?: 'repeated';
  /** Set for map fields. */
  readonly keyType?: string;
  /** `proto3_optional` marks a field whose absence is kept (an `optional` field in the .proto). */
  readonly options?: { readonly proto3_optional?: boolean };
}
