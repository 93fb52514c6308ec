package io.parquet2dynamo;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import java.io.EOFException;
import java.io.IOException;
import org.junit.Test;

/** Tests {@link Errors}, the one walk of a cause chain. */
public class ErrorsTest {
  @Test
  public void findsTheRootAndTheJobsOwnMessage() {
    Exception root = new EOFException("short read\nrequest id 123");
    Exception own = new InvalidInputException("cannot read s3://b/f.parquet", root);
    Exception wrapped = new RuntimeException("wrapper", new IllegalStateException(own));

    assertEquals(root, Errors.root(wrapped));
    assertEquals("short read", Errors.rootMessage(wrapped));
    assertEquals("cannot read s3://b/f.parquet", Errors.ownMessage(wrapped));
    assertEquals(own, Errors.find(wrapped, InvalidInputException.class).orElseThrow());
    assertFalse(Errors.find(wrapped, IOException.class).isEmpty());
    assertEquals("short read", Errors.ownMessage(new RuntimeException(root)));
  }

  @Test
  public void aMessagelessErrorIsNamedByItsClassAndACycleEnds() {
    RuntimeException a = new RuntimeException();
    IllegalStateException b = new IllegalStateException(a);
    a.initCause(b);
    assertEquals(2, Errors.causes(b).size());
    assertEquals("RuntimeException", Errors.rootMessage(b));
  }
}
