package io.parquet2dynamo.options;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.beam.sdk.options.Description;
import org.junit.Test;

/** Every option of the job is shown once, in one group, and every option shown exists. */
public class OptionGroupsTest {
  @Test
  public void everyOptionOfTheJobIsInExactlyOneGroup() {
    Set<String> declared = new TreeSet<>();
    for (Method m : Parquet2DynamoOptions.class.getDeclaredMethods()) {
      if (m.getParameterCount() == 0 && m.isAnnotationPresent(Description.class)) {
        declared.add(Usage.optionName(m));
      }
    }
    List<String> grouped = new ArrayList<>();
    for (OptionGroups.Option option : OptionGroups.all()) {
      if (!option.isBeams()) {
        grouped.add(option.name());
      }
    }
    assertEquals(
        "a new option needs a place in OptionGroups (the order --help shows)",
        declared,
        new TreeSet<>(grouped));
    assertEquals("no option twice", grouped.size(), new TreeSet<>(grouped).size());
  }

  @Test
  public void everyOptionShownHasADescription() {
    for (OptionGroups.Option option : OptionGroups.all()) {
      assertTrue(option.name(), !Usage.description(Usage.getter(option)).isEmpty());
    }
  }
}
