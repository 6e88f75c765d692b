export { apply } from './apply.js';
export { compose } from './compose.js';
export { invert, makeInvertible, stripInvertible } from './invert.js';
export {
  baseLength,
  type Component,
  checkOp,
  type Delete,
  deleteLength,
  type Insert,
  isNoop,
  lengthChange,
  normalize,
  type Op,
  OTError,
  type OTErrorCode,
  type Retain,
  type Side,
} from './op.js';
export { fromSimple, type SimpleChange, toSimple } from './simple.js';
export { TextDocument } from './text-document.js';
export { textType } from './text-type.js';
export { oppositeSide, tieSide } from './tie-break.js';
export {
  type Assoc,
  insertAt,
  type Selection,
  singleInsert,
  transform,
  transformOver,
  transformPosition,
  transformSelection,
} from './transform.js';
export { codePointLength, codePointToUtf16, sliceCodePoints, utf16ToCodePoint } from './unicode.js';
