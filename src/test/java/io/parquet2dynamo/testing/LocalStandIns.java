package io.parquet2dynamo.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts the local stand-ins for AWS, each in its own JVM from the jars that {@code
 * scripts/standins/pom.xml} fetched into {@code target/standins}: DynamoDB Local (in memory) and
 * S3Proxy (in memory, with signature checking on and the keys below).
 *
 * <p>Tests share one instance per test JVM ({@link #shared()}); {@code scripts/standins.sh} runs
 * {@link #main} to keep them up for manual use. Uses only the JDK, so the scripts can run it from
 * the compiled test classes alone.
 */
public final class LocalStandIns implements AutoCloseable {
  /** Keys S3Proxy accepts. DynamoDB Local accepts any key id made of letters and digits only. */
  public static final String ACCESS_KEY = "localAccessKey";

  public static final String SECRET_KEY = "localSecretKey";
  public static final String REGION = "us-east-1";

  private static LocalStandIns shared;

  private final Process dynamoDb;
  private final Process s3;
  private final int dynamoDbPort;
  private final int s3Port;

  private LocalStandIns(Process dynamoDb, int dynamoDbPort, Process s3, int s3Port) {
    this.dynamoDb = dynamoDb;
    this.dynamoDbPort = dynamoDbPort;
    this.s3 = s3;
    this.s3Port = s3Port;
  }

  /** DynamoDB Local's endpoint. It listens on every interface; clients use the loopback address. */
  public String dynamoDbEndpoint() {
    return "http://127.0.0.1:" + dynamoDbPort;
  }

  /** S3Proxy's endpoint, by host name: the job must address S3 path-style for it to work. */
  public String s3Endpoint() {
    return "http://localhost:" + s3Port;
  }

  /** The credentials option a user passes for the stand-ins. */
  public static String credentialsOption() {
    return "--awsCredentialsProvider={\"@type\":\"StaticCredentialsProvider\",\"accessKeyId\":\""
        + ACCESS_KEY
        + "\",\"secretAccessKey\":\""
        + SECRET_KEY
        + "\"}";
  }

  /** One instance for the whole test JVM, stopped when the JVM exits. */
  public static synchronized LocalStandIns shared() throws IOException {
    if (shared == null) {
      shared = start(standInsDir(), 0, 0);
      LocalStandIns started = shared;
      Runtime.getRuntime().addShutdownHook(new Thread(started::close));
    }
    return shared;
  }

  /**
   * Starts both; port 0 picks a free one. A free port can be taken by another process between
   * picking it and the server binding it, so with picked ports a failed start is tried again.
   */
  public static LocalStandIns start(Path dir, int dynamoDbPort, int s3Port) throws IOException {
    boolean picked = dynamoDbPort == 0 || s3Port == 0;
    for (int attempt = 1; ; attempt++) {
      try {
        return startOnce(dir, dynamoDbPort, s3Port);
      } catch (IOException e) {
        if (!picked || attempt == 3) {
          throw e;
        }
      }
    }
  }

  private static LocalStandIns startOnce(Path dir, int dynamoDbPort, int s3Port)
      throws IOException {
    Path ddbJars = dir.resolve("dynamodb-local");
    Path s3Jar = dir.resolve("s3proxy").resolve("s3proxy.jar");
    if (!Files.isDirectory(ddbJars) || !Files.isRegularFile(s3Jar)) {
      throw new IOException(
          "the stand-ins are not in " + dir + "; run 'mvn -B -DskipTests package' first");
    }
    Path logs = Files.createDirectories(dir.resolve("logs"));
    int ddbPort = dynamoDbPort == 0 ? freePort() : dynamoDbPort;
    int s3pPort = s3Port == 0 ? freePort() : s3Port;

    List<String> ddbCommand = new ArrayList<>();
    ddbCommand.add(javaExecutable());
    // sqlite4java loads its native library from the folder the jars were copied to.
    ddbCommand.add("-Djava.library.path=" + ddbJars);
    ddbCommand.add("-cp");
    ddbCommand.add(ddbJars + "/*");
    ddbCommand.add("com.amazonaws.services.dynamodbv2.local.main.ServerRunner");
    ddbCommand.addAll(
        List.of("-inMemory", "-sharedDb", "-disableTelemetry", "-port", String.valueOf(ddbPort)));
    Process ddb = launch(ddbCommand, logs.resolve("dynamodb-local.log"));

    Path properties = logs.resolve("s3proxy-" + s3pPort + ".properties");
    Files.writeString(
        properties,
        String.join(
            "\n",
            "s3proxy.endpoint=http://127.0.0.1:" + s3pPort,
            "s3proxy.authorization=aws-v2-or-v4",
            "s3proxy.identity=" + ACCESS_KEY,
            "s3proxy.credential=" + SECRET_KEY,
            "jclouds.provider=transient",
            "jclouds.identity=unused",
            "jclouds.credential=unused",
            ""),
        StandardCharsets.UTF_8);
    Process s3p =
        launch(
            List.of(
                javaExecutable(), "-jar", s3Jar.toString(), "--properties", properties.toString()),
            logs.resolve("s3proxy.log"));
    LocalStandIns standIns = new LocalStandIns(ddb, ddbPort, s3p, s3pPort);
    try {
      awaitPort(ddb, ddbPort, "DynamoDB Local", logs.resolve("dynamodb-local.log"));
      awaitPort(s3p, s3pPort, "S3Proxy", logs.resolve("s3proxy.log"));
      // A server that lost its port to another process exits right after binding fails, while
      // the other process answers on the port: the port check alone would not notice.
      sleep(500);
      if (!ddb.isAlive() || !s3p.isAlive()) {
        throw new IOException("a stand-in exited after start; see " + logs);
      }
    } catch (IOException e) {
      standIns.close();
      throw e;
    }
    return standIns;
  }

  @Override
  public void close() {
    for (Process p : new Process[] {dynamoDb, s3}) {
      p.destroy();
    }
    for (Process p : new Process[] {dynamoDb, s3}) {
      try {
        if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  private static Process launch(List<String> command, Path log) throws IOException {
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
  }

  private static void awaitPort(Process process, int port, String name, Path log)
      throws IOException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException(name + " exited with code " + process.exitValue() + "; see " + log);
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
        return;
      } catch (IOException notYet) {
        sleep(100);
      }
    }
    throw new IOException(name + " did not open port " + port + " within 60 s; see " + log);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static String javaExecutable() {
    return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
  }

  static Path standInsDir() {
    return Paths.get(System.getProperty("standins.dir", "target/standins"));
  }

  /**
   * Starts the stand-ins and keeps them up until Ctrl-C. Arguments: {@code [dynamoDbPort [s3Port]]}
   * (0 or absent: free ports). Prints the endpoints as shell assignments.
   */
  public static void main(String[] args) throws Exception {
    int ddbPort = args.length > 0 ? Integer.parseInt(args[0]) : 0;
    int s3Port = args.length > 1 ? Integer.parseInt(args[1]) : 0;
    LocalStandIns standIns = start(standInsDir(), ddbPort, s3Port);
    Runtime.getRuntime().addShutdownHook(new Thread(standIns::close));
    System.out.println("DYNAMODB_ENDPOINT=" + standIns.dynamoDbEndpoint());
    System.out.println("S3_ENDPOINT=" + standIns.s3Endpoint());
    System.out.println("AWS_ACCESS_KEY_ID=" + ACCESS_KEY);
    System.out.println("AWS_SECRET_ACCESS_KEY=" + SECRET_KEY);
    System.out.println("AWS_REGION=" + REGION);
    // So a script can stop them even if this JVM dies without running its shutdown hook.
    System.out.println(
        "STANDIN_PIDS=\"" + standIns.dynamoDb.pid() + " " + standIns.s3.pid() + "\"");
    System.out.println("READY");
    System.out.flush();
    // Ends when the process is told to stop (Ctrl-C or kill); the hook stops the stand-ins.
    Thread.currentThread().join();
  }
}
