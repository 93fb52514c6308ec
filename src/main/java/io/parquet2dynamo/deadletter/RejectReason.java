package io.parquet2dynamo.deadletter;

/** Why a row was not written: the {@code reason} code of its dead-letter record. */
public enum RejectReason {
  /** A table key attribute is null. */
  MISSING_KEY,
  /** A table or index key attribute is an empty string or empty binary, which DynamoDB refuses. */
  EMPTY_KEY,
  /** A table or index key value cannot be expressed in the key's type ("abc" for an N key). */
  KEY_TYPE_MISMATCH,
  /** A partition key over 2048 bytes or a sort key over 1024 bytes. */
  KEY_TOO_LARGE,
  /** The item exceeds DynamoDB's 400 KB limit, counted by DynamoDB's size rules. */
  ITEM_TOO_LARGE,
  /** A number DynamoDB cannot store: NaN, infinite, over 38 significant digits, or out of range. */
  NUMBER_NOT_REPRESENTABLE,
  /** A map with an empty key: DynamoDB refuses empty attribute names, in nested maps too. */
  EMPTY_ATTRIBUTE_NAME,
  /** A value nesting more maps and lists than DynamoDB's 32 levels allow. */
  NESTING_TOO_DEEP,
  /**
   * DynamoDB did not take the write within the retry budget, and no attempt may have written it
   * (throttled, unprocessed, or never sent); the message has the last error.
   */
  WRITE_FAILED,
  /**
   * The write outlasted its retries, but an attempt ended without an answer (a timeout, a dropped
   * connection, a 5xx), so the item may be in the table. Re-sending it is safe for every mode.
   */
  WRITE_UNCONFIRMED,
  /**
   * DynamoDB refused this item on its own (a ValidationException: by its size rules, a name, a
   * type); the other items of its batch were written. The message has DynamoDB's words.
   */
  REFUSED_BY_DYNAMODB,
  /**
   * With {@code --writeMode=update}: the item's UpdateItem would exceed one of DynamoDB's limits on
   * expressions (4 KB for the update expression, which an item of some 500 attributes reaches; 2 MB
   * for its names and values together), so it is not sent. The message says which and by how much.
   */
  UPDATE_EXPRESSION_TOO_LARGE,
  /** The mapping file's cast or expression failed on this row (the message says which). */
  TRANSFORM_ERROR
}
