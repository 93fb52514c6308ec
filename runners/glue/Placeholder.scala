// The script AWS Glue requires in Command.ScriptLocation: a Scala job must name a .scala file there
// (a jar fails). Glue never runs it, because the job's --class argument names the real entry point,
// io.parquet2dynamo.Parquet2Dynamo, found in the jar given in --extra-jars. Should it ever run, it
// fails loudly instead of reporting a load that never happened.
object Placeholder {
  def main(args: Array[String]): Unit =
    throw new IllegalStateException(
      "Placeholder.scala ran instead of io.parquet2dynamo.Parquet2Dynamo: " +
        "check the job's --class and --extra-jars arguments")
}
