/**
 * Bookmarks: recurring loads that read only the input files that are new or changed since the last
 * successful run (issue 14; user documentation in docs/RECURRING.md).
 *
 * <p>A bookmark is a small JSON file ({@link io.parquet2dynamo.bookmark.BookmarkState}'s format),
 * local or on S3, that records each loaded file's path, size, ETag (S3) or modification time
 * (local), rows and loading run, with the input, the table and the options that shape items. The
 * call sequence for the main class:
 *
 * <pre>{@code
 * JobArguments.Normalised args = new JobArguments(Parquet2DynamoOptions.class).parse(argv);
 * Parquet2DynamoOptions options = ...fromArgs(args.beamArguments())...;
 * FileSystems.setDefaultPipelineOptions(options);
 *
 * BookmarkSettings settings = BookmarkSettings.resolve(options, args.glueArguments()); // may throw InvalidInputException
 * List<InputFiles.Match> listed = InputFiles.resolve(options.getInputPath(), options); // with ETags
 * BookmarkRun bookmark =
 *     Bookmarks.start(settings, listed, settings.enabled() ? ItemShape.of(options) : null);
 * bookmark.warnings().forEach(w -> err.println("WARNING: " + w));
 * out.println(bookmark.describe());
 * if (bookmark.nothingToLoad()) {
 *   // print a summary with rowsRead=0 and bookmark.summaryFields(); exit 0, no pipeline
 * }
 * ParquetDataset dataset = ParquetDataset.scan(bookmark.filesToLoad());
 * ... build and run the pipeline; add bookmark.summaryFields() to the summary ...
 * if (load completed && summary reconciles && nothing rejected is lost) {
 *   bookmark.commit(runId, dataset.rowsByFile()); // BookmarkConflictException: another run won
 * }
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
 * <p>S3 permissions the bookmark needs: {@code s3:GetObject} and {@code s3:PutObject} on the
 * bookmark object and on {@code <bookmark>.reset-*} (the copies {@code --bookmarkReset} keeps);
 * {@code s3:ListBucket} on its bucket, so that a bookmark not yet written reads as missing rather
 * than as Access Denied. Listing ETags needs {@code s3:ListBucket} on the input bucket, which
 * reading the input already needs.
 */
package io.parquet2dynamo.bookmark;
