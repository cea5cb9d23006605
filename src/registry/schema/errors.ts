/**
 * Field-error constructors worded as apiextensions words the kube-openapi results it converts
 * (kubeOpenAPIResultToFieldErrors): `<path> in body must be of type integer: "string"`, etc.
 */
import type { FieldError } from '../../errors/status.js';
import { stringifyJSON } from '../../machinery/json-text.js';

export function required(field: string, detail = ''): FieldError {
  return { type: 'FieldValueRequired', field, detail };
}

export function forbidden(field: string, detail: string): FieldError {
  return { type: 'FieldValueForbidden', field, detail };
}

export function invalid(field: string, value: unknown, detail: string): FieldError {
  return { type: 'FieldValueInvalid', field, value, detail };
}

export function duplicate(field: string, value: unknown): FieldError {
  return { type: 'FieldValueDuplicate', field, value, detail: '' };
}

/** `<field>: Invalid value: "string": <field> in body must be of type integer: "string"`. */
export function typeInvalid(field: string, actual: string, expected: string): FieldError {
  return {
    type: 'FieldValueTypeInvalid', field, value: actual,
    detail: `${field} in body must be of type ${expected}: "${actual}"`,
  };
}

/** Values rendered as kube's field.NotSupported lists them: strings quoted, others as JSON. */
export function supportedValues(values: readonly unknown[]): string {
  return values.map((v) => stringifyJSON(v)).join(', ');
}

export function notSupported(field: string, value: unknown, values: readonly unknown[]): FieldError {
  return {
    type: 'FieldValueNotSupported', field, value,
    detail: values.length ? `supported values: ${supportedValues(values)}` : '',
  };
}

/** field.TooLong with a limit: the value is omitted from the message. */
export function tooLong(field: string, max: number): FieldError {
  return { type: 'FieldValueTooLong', field, detail: `may not be more than ${max} ${max === 1 ? 'byte' : 'bytes'}` };
}

/**
 * field.TooMany: `Too many: 5: must have at most 3 items`. The shared renderer prints only the
 * detail for this type, so the actual count is carried in the detail.
 */
export function tooMany(field: string, actual: number, max: number): FieldError {
  return { type: 'FieldValueTooMany', field, value: actual, detail: `${actual}: must have at most ${max} ${max === 1 ? 'item' : 'items'}` };
}
