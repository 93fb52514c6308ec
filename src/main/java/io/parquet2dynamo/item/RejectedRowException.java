package io.parquet2dynamo.item;

import io.parquet2dynamo.deadletter.RejectReason;

/** Thrown while mapping a row that cannot become an item; carries the dead-letter reason. */
public class RejectedRowException extends Exception {
  private static final long serialVersionUID = 1L;
  private final RejectReason reason;

  public RejectedRowException(RejectReason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  public RejectReason reason() {
    return reason;
  }
}
