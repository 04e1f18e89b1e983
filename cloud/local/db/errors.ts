/** Error codes as the CloudBase database answers them (the SDK maps some, e.g. retries transactions on conflict). */
export type DbErrorCode =
  | 'INVALID_PARAM'
  | 'DATABASE_COLLECTION_NOT_EXIST'
  | 'DATABASE_COLLECTION_ALREADY_EXIST'
  | 'DATABASE_DUPLICATE_WRITE'
  | 'DATABASE_REQUEST_FAILED'
  | 'DATABASE_TRANSACTION_CONFLICT'
  | 'DATABASE_TRANSACTION_FAIL'
  | 'ACTION_NOT_SUPPORTED'
  | 'SYS_ERR'

export class DbError extends Error {
  constructor(
    readonly code: DbErrorCode,
    message: string,
  ) {
    super(message)
    this.name = 'DbError'
  }
}
