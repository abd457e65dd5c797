/**
 * A scalar already written as YAML text. The serializer formats numbers by dtype (a float32 is written as its
 * shortest float32 decimal), so it hands the emitter text, not a JS number that forgot its dtype.
 */
export class Literal {
  constructor(readonly text: string) {}
}

/**
 * A flow sequence already written as YAML text over several lines: the emitter writes `key: [` and then each line,
 * indented under the key. Long value lists are written this way, a fixed number of values to a line, so that one
 * changed value changes one line of the file.
 */
export class FlowLines {
  constructor(readonly lines: readonly string[]) {}
}
