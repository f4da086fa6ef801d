/** Error codes, their table (status, en/zh message, action) and the backend's codes mapped. */
export * from './codes.ts'
export * from './table.ts'
