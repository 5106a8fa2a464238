/**
 * JSON that a test walks by key path without declaring its shape (mocked resource inputs, Graph response
 * bodies): `expect` checks the shape at run time, and a wrong path fails the test just as well.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- assertions walk untyped JSON ad hoc
export type JsonProbe = Record<string, any>;
