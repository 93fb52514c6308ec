/**
 * Bookmarks: recurring loads that read only the input files that are new or changed since the last
 * successful run (issue 14; user documentation in docs/RECURRING.md).
 *
 * <p>A bookmark is a small JSON file ({@link io.parquet2dynamo.bookmark.BookmarkState}'s format),
 * local or on S3, that records each loaded file's path, size, ETag (S3) or modification time
 * (local), rows and loading run, with the input, the table and the options that shape items.
 *
 * <p>Where it is used: {@code io.parquet2dynamo.plan.LoadPlan#resolve} resolves the {@link
 * io.parquet2dynamo.bookmark.BookmarkSettings} (the options, and Glue's {@code
 * job-bookmark-option}, {@code TempDir} and {@code JOB_NAME}) with the other option checks, lists
 * the input through its catalog (with ETags when a bookmark is on), starts the run ({@link
 * io.parquet2dynamo.bookmark.Bookmarks#start}) and reads the footers of the selected files only.
 * The main class then uses the plan's {@link io.parquet2dynamo.bookmark.BookmarkCommit}:
 *
 * <pre>{@code
 * LoadPlan plan = LoadPlan.resolve(options, JobOptions.glueArguments(args));
 * plan.bookmark().announce(out);                  // "Bookmark PATH (...): 3 files to load ..."
 * if (plan.nothingToLoad()) {                      // no pipeline, no runner: a summary of zeros
 *   return plan.bookmark().finishWithoutLoad(plan.summaryFields(), start, options, out, err);
 * }
 * ... build and run the pipeline; a failed or interrupted run returns before this ...
 * summary = plan.bookmark().afterLoad(summary, out); // commits only if the summary SUCCEEDED
 * }</pre>
 *
 * <p>Guarantees: nothing is written before {@link io.parquet2dynamo.bookmark.BookmarkRun#commit}; a
 * commit writes a whole new file or object (a local temporary file renamed over the old one, or one
 * S3 PutObject), and only if the bookmark is still the one the run read (a lock plus a
 * byte-for-byte re-read locally; a HeadObject re-read plus a conditional PutObject on S3), else it
 * throws {@link io.parquet2dynamo.bookmark.BookmarkConflictException}. A run that fails, is killed
 * or does not reconcile never commits, so the next run loads the same files again; that is safe
 * because every write mode is idempotent for a file loaded twice (put and delete repeat the same
 * result; putIfAbsent and putIfNewer skip what is already there).
 *
 * <p>Not committed: a failed, interrupted, non-reconciling, ROWS_NOT_KEPT or INCOMPLETE load, a dry
 * run and a paused bookmark ({@link io.parquet2dynamo.bookmark.BookmarkCommit} says why for
 * INCOMPLETE). A lost commit ends the run as {@code BOOKMARK_CONFLICT} (exit 5), an unwritable
 * bookmark as {@code BOOKMARK_NOT_SAVED} (exit 6).
 *
 * <p>S3 permissions the bookmark needs: {@code s3:GetObject} and {@code s3:PutObject} on the
 * bookmark object and on {@code <bookmark>.reset-*} (the copies {@code --bookmarkReset} keeps);
 * {@code s3:ListBucket} on its bucket, which may be held to the bookmark's key as {@code
 * s3:prefix}: S3 answers 403 for a missing object to a role that may not list the whole bucket, and
 * the store then lists the key to tell a bookmark not yet written from a forbidden one. Listing
 * ETags needs {@code s3:ListBucket} on the input bucket, which reading the input already needs.
 */
package io.parquet2dynamo.bookmark;
