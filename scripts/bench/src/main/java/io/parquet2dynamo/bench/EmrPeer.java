package io.parquet2dynamo.bench;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.dynamodb.DynamoDBItemWritable;
import org.apache.hadoop.dynamodb.write.DynamoDBOutputFormat;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapred.JobConf;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;
import scala.Tuple2;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The peer users pick today: a Spark 3.5 job that reads the Parquet files with {@code
 * spark.read().parquet(dir)}, turns each {@link Row} into a DynamoDB item in a map function and
 * writes the items with the EMR DynamoDB connector ({@code com.amazon.emr:emr-dynamodb-hadoop}
 * 5.0.0, the library AWS Glue's own DynamoDB sink is built on): {@link DynamoDBOutputFormat} and
 * {@link DynamoDBItemWritable} through {@code saveAsHadoopDataset} with a {@link JobConf}, as Glue
 * and EMR users write it.
 *
 * <p>Items have the shape {@link AvroItems} gives the baselines: numbers (integers, doubles and
 * decimals as plain strings) as N, strings as S, booleans as BOOL, the timestamp as ISO-8601 S as
 * {@link Instant#toString} prints it, the date as ISO S, lists as L, structs as M, nulls left out.
 * Spark reads timestamps and dates as {@link Instant} and {@link LocalDate} ({@code
 * spark.sql.datetime.java8API.enabled}), so the strings match the baselines' exactly.
 *
 * <p>Connector configuration, set so the connector's own rate limiter is not the limit. Per task
 * the 5.0.0 record writer allows {@code floor(W * P) / T} item writes a second (one write unit per
 * item, since it assumes 100-byte items and caps items per unit at 1), where:
 *
 * <ul>
 *   <li>{@code W} is {@code dynamodb.throughput.write}; unset, it describes the table and takes its
 *       provisioned write units, or 40,000 for an on-demand (PAY_PER_REQUEST) table; DynamoDB Local
 *       reports on-demand tables as such (with 0 provisioned units), so 40,000 it is. We set it to
 *       40,000 explicitly: the default per-table write quota of a real on-demand table, the ceiling
 *       DynamoDB itself imposes, and it spares each task a DescribeTable call;
 *   <li>{@code P} is {@code dynamodb.throughput.write.percent}, 0.5 by default: we set 1.0, the
 *       whole table for this one job (Glue documents up to 1.5, which would only over-subscribe);
 *   <li>{@code T} is the number of parallel tasks it divides the rate among: {@code
 *       mapreduce.job.maps} ({@link JobConf#setNumMapTasks}; Spark does not set it), bounded by a
 *       YARN capacity calculation (EMR's node sizes) unless {@code dynamodb.yarn.enabled} is false.
 *       There is no YARN cluster here, so we turn that off, and we set the map count to Spark's
 *       default parallelism, the number of tasks that really run at once. (Without a cluster
 *       Hadoop's "local" framework then sets {@code mapreduce.job.maps} back to 1 on the JobConf
 *       the writer reads, so {@code T} is 1 and each task gets the whole rate.)
 * </ul>
 *
 * <p>So each task may write 40,000 items a second, far above what its synchronous loop of 25-item
 * BatchWriteItem calls reaches; the log lines "Throughput per task" and "Number of allocated item
 * writes per second" show the figure. The connector's writer also logs one INFO line for every item
 * ("BatchWriteItem deletionMode false"), a formatted log line per row under Spark's default INFO
 * logging; a user tuning for speed quiets that one logger (only that one: the rate-limiter lines
 * stay).
 *
 * <p>Spark's vectorized Parquet reader refuses decimals of precision 18 or less stored as BINARY,
 * as parquet-avro writes the data set's decimals ("Parquet column cannot be converted"), so the job
 * turns it off and reads with the row-by-row parquet-mr reader, the usual workaround.
 *
 * <pre>
 * EmrPeer --input DIR --table T --endpoint http://127.0.0.1:PORT --region us-east-1
 *         [--master local[2]]
 * </pre>
 *
 * Prints {@code ROWS n}, the number of rows converted and handed to the connector, at the end; any
 * failed write fails the job and the exit status.
 */
public final class EmrPeer {
  /** The connector's write rate for an on-demand table, and the default on-demand table quota. */
  private static final String WRITE_UNITS = "40000";

  private EmrPeer() {}

  public static void main(String[] args) {
    Map<String, String> options = options(args);
    String input = required(options, "--input");
    String table = required(options, "--table");
    String endpoint = required(options, "--endpoint");
    String region = options.getOrDefault("--region", "us-east-1");
    String master = options.getOrDefault("--master", "local[2]");

    long start = System.nanoTime();
    SparkSession spark =
        SparkSession.builder()
            .appName("emr-dynamodb-peer")
            .master(master)
            .config("spark.ui.enabled", "false")
            .config("spark.sql.datetime.java8API.enabled", "true")
            // BINARY decimals of precision <= 18 fail the vectorized reader (class comment).
            .config("spark.sql.parquet.enableVectorizedReader", "false")
            .getOrCreate();
    // One INFO line per item otherwise (see the class comment). After the session starts: Spark
    // installs its default log4j2 configuration then, which would reset the level.
    Configurator.setLevel("org.apache.hadoop.dynamodb.DynamoDBClient", Level.WARN);
    int exit = 0;
    try {
      long rows = load(spark, input, table, endpoint, region);
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.println("ROWS " + rows);
      System.out.printf("SECONDS %.1f ROWS_PER_SECOND %.0f%n", seconds, rows / seconds);
    } catch (Exception e) { // SparkException is checked, yet Scala throws it undeclared
      e.printStackTrace();
      exit = 1;
    } finally {
      spark.stop();
    }
    System.exit(exit);
  }

  static long load(SparkSession spark, String input, String table, String endpoint, String region) {
    Dataset<Row> rows = spark.read().parquet(input);
    StructType schema = rows.schema();
    LongAccumulator written = spark.sparkContext().longAccumulator("rows");

    JavaPairRDD<Text, DynamoDBItemWritable> items =
        rows.javaRDD()
            .mapToPair(
                row -> {
                  written.add(1);
                  return new Tuple2<>(new Text(), new DynamoDBItemWritable(item(row, schema)));
                });

    int parallelism = spark.sparkContext().defaultParallelism();
    JobConf jobConf = new JobConf(spark.sparkContext().hadoopConfiguration());
    jobConf.set("dynamodb.output.tableName", table);
    jobConf.set("dynamodb.endpoint", endpoint);
    jobConf.set("dynamodb.regionid", region);
    jobConf.set("dynamodb.awsAccessKeyId", "dummy");
    jobConf.set("dynamodb.awsSecretAccessKey", "dummy");
    // The connector's rate: floor(W * P) / T item writes a second per task (class comment).
    jobConf.set("dynamodb.throughput.write", WRITE_UNITS);
    jobConf.set("dynamodb.throughput.write.percent", "1.0");
    jobConf.setBoolean("dynamodb.yarn.enabled", false);
    jobConf.setNumMapTasks(parallelism);
    jobConf.setOutputFormat(DynamoDBOutputFormat.class);
    jobConf.setOutputKeyClass(Text.class);
    jobConf.setOutputValueClass(DynamoDBItemWritable.class);

    items.saveAsHadoopDataset(jobConf);
    return written.value();
  }

  /** A row as a DynamoDB item: its non-null columns by name. */
  static Map<String, AttributeValue> item(Row row, StructType schema) {
    StructField[] fields = schema.fields();
    Map<String, AttributeValue> item = new HashMap<>(fields.length * 2);
    for (int i = 0; i < fields.length; i++) {
      if (!row.isNullAt(i)) {
        item.put(fields[i].name(), value(row.get(i), fields[i].dataType()));
      }
    }
    return item;
  }

  private static AttributeValue value(Object value, DataType type) {
    if (type instanceof StructType) {
      return AttributeValue.fromM(item((Row) value, (StructType) type));
    }
    if (type instanceof ArrayType) {
      DataType element = ((ArrayType) type).elementType();
      scala.collection.Seq<?> seq = (scala.collection.Seq<?>) value;
      List<AttributeValue> list = new ArrayList<>(seq.length());
      for (int i = 0; i < seq.length(); i++) {
        Object v = seq.apply(i);
        list.add(v == null ? AttributeValue.fromNul(true) : value(v, element));
      }
      return AttributeValue.fromL(list);
    }
    if (type instanceof MapType) {
      DataType valueType = ((MapType) type).valueType();
      Map<String, AttributeValue> map = new HashMap<>();
      scala.collection.Iterator<? extends Tuple2<?, ?>> entries =
          ((scala.collection.Map<?, ?>) value).iterator();
      while (entries.hasNext()) {
        Tuple2<?, ?> e = entries.next();
        if (e._2() != null) {
          map.put(e._1().toString(), value(e._2(), valueType));
        }
      }
      return AttributeValue.fromM(map);
    }
    if (type instanceof BinaryType) {
      return AttributeValue.fromB(SdkBytes.fromByteArray((byte[]) value));
    }
    if (value instanceof String) {
      return AttributeValue.fromS((String) value);
    }
    if (value instanceof BigDecimal) {
      return AttributeValue.fromN(((BigDecimal) value).toPlainString());
    }
    if (value instanceof Number) {
      return AttributeValue.fromN(value.toString());
    }
    if (value instanceof Boolean) {
      return AttributeValue.fromBool((Boolean) value);
    }
    if (value instanceof Instant || value instanceof LocalDate) {
      return AttributeValue.fromS(value.toString());
    }
    throw new IllegalArgumentException("no DynamoDB type for " + type + " " + value.getClass());
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 == args.length) {
        throw new IllegalArgumentException(
            "usage: EmrPeer --input DIR --table T --endpoint URL [--region R] [--master M]");
      }
      options.put(args[i], args[++i]);
    }
    return options;
  }

  private static String required(Map<String, String> options, String name) {
    String value = options.get(name);
    if (value == null) {
      throw new IllegalArgumentException("missing " + name);
    }
    return value;
  }
}
