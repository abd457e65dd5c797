/**
 * A scalar already written as YAML text. The serializer formats numbers by dtype (a float32 is written as its
 * shortest float32 decimal), so it hands the emitter text, not a JS number that forgot its dtype.
 */
export class Literal {
  constructor(readonly text: string) {}
}
