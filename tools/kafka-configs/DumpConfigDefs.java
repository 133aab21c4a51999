import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.config.ConfigDef;

/**
 * Prints Kafka's own definitions of the topic configs and the broker properties, as JSON on
 * stdout: for each key its type and what its validator accepts. Run by generate.sh with one Kafka
 * release's broker classpath (`java -cp CLASSPATH DumpConfigDefs.java VERSION`).
 *
 * Topic configs: `LogConfig.configKeys()` (org.apache.kafka.storage.internals.log), the set a
 * broker checks topic configs against, each with the broker property that holds its default
 * (`ServerTopicConfigSynonyms.TOPIC_CONFIG_SYNONYMS`). Broker properties: `AbstractKafkaConfig.CONFIG_DEF`
 * (org.apache.kafka.server.config; `kafka.server.KafkaConfig.configDef()` before Kafka 3.9), the
 * ConfigDef `KafkaConfig` parses server.properties with.
 *
 * A validator is written as data when its kind is one of ConfigDef's own (Range, ValidString,
 * CaseInsensitiveValidString, ValidList, NonEmptyString, NonEmptyStringWithoutControlChars,
 * CompositeValidator of those); any other is named by its description under "unchecked", and only
 * the value's type is checked for that key.
 */
public class DumpConfigDefs {
    public static void main(String[] args) throws Exception {
        String version = args[0];
        Map<String, ConfigDef.ConfigKey> topic = topicKeys();
        Map<String, ConfigDef.ConfigKey> broker = brokerDef().configKeys();
        StringBuilder out = new StringBuilder();
        out.append("{\n");
        out.append("  \"kafka\": ").append(quote(version)).append(",\n");
        out.append("  \"generatedBy\": ").append(quote(
                "tools/kafka-configs/generate.sh: DumpConfigDefs.java run on the classpath of org.apache.kafka:kafka_2.13:" + version
                        + " from Maven Central (topic: LogConfig.configKeys(), broker: " + brokerSource + "). Do not edit."))
                .append(",\n");
        out.append("  \"topic\": ").append(keys(topic, topicSynonyms())).append(",\n");
        out.append("  \"broker\": ").append(keys(broker, Map.of())).append("\n");
        out.append("}\n");
        System.out.print(out);
    }

    @SuppressWarnings("unchecked")
    static Map<String, ConfigDef.ConfigKey> topicKeys() throws Exception {
        Class<?> logConfig = Class.forName("org.apache.kafka.storage.internals.log.LogConfig");
        Method m = logConfig.getMethod("configKeys");
        return (Map<String, ConfigDef.ConfigKey>) m.invoke(null);
    }

    /** Where the broker's ConfigDef was read (it moved from Scala to Java in Kafka 3.9). */
    static String brokerSource = "AbstractKafkaConfig.CONFIG_DEF";

    static ConfigDef brokerDef() throws Exception {
        try {
            Class<?> c = Class.forName("org.apache.kafka.server.config.AbstractKafkaConfig");
            return (ConfigDef) c.getField("CONFIG_DEF").get(null);
        } catch (ClassNotFoundException e) {
            brokerSource = "kafka.server.KafkaConfig.configDef()";
            return (ConfigDef) Class.forName("kafka.server.KafkaConfig").getMethod("configDef").invoke(null);
        }
    }

    /** Each topic config's broker property (its cluster-wide default): `retention.ms` -> `log.retention.ms`. */
    @SuppressWarnings("unchecked")
    static Map<String, String> topicSynonyms() throws Exception {
        Class<?> c = Class.forName("org.apache.kafka.server.config.ServerTopicConfigSynonyms");
        return (Map<String, String>) c.getField("TOPIC_CONFIG_SYNONYMS").get(null);
    }

    static String keys(Map<String, ConfigDef.ConfigKey> keys, Map<String, String> synonyms) throws Exception {
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, ConfigDef.ConfigKey> e : new TreeMap<>(keys).entrySet()) {
            lines.add(quote(e.getKey()) + ": " + definition(e.getValue(), synonyms.get(e.getKey())));
        }
        return "{\n    " + String.join(",\n    ", lines) + "\n  }";
    }

    static String definition(ConfigDef.ConfigKey key, String brokerSynonym) throws Exception {
        Map<String, String> d = new TreeMap<>();
        d.put("type", quote(key.type.name().toLowerCase()));
        if (brokerSynonym != null) d.put("broker", quote(brokerSynonym));
        List<String> unchecked = new ArrayList<>();
        if (key.validator != null) describe(key.validator, d, unchecked);
        if (!unchecked.isEmpty()) d.put("unchecked", quote(String.join("; ", unchecked)));
        List<String> fields = new ArrayList<>();
        // "type" first, then the rest by name.
        fields.add("\"type\": " + d.remove("type"));
        d.forEach((k, v) -> fields.add(quote(k) + ": " + v));
        return "{ " + String.join(", ", fields) + " }";
    }

    static void describe(ConfigDef.Validator v, Map<String, String> d, List<String> unchecked) throws Exception {
        String kind = v.getClass().getName();
        switch (kind) {
            case "org.apache.kafka.common.config.ConfigDef$Range": {
                Object min = field(v, "min");
                Object max = field(v, "max");
                if (min != null) d.put("min", quote(String.valueOf(min)));
                if (max != null) d.put("max", quote(String.valueOf(max)));
                break;
            }
            case "org.apache.kafka.common.config.ConfigDef$ValidString":
                d.put("in", strings((Collection<?>) field(v, "validStrings")));
                break;
            case "org.apache.kafka.common.config.ConfigDef$CaseInsensitiveValidString":
                d.put("in", strings((Collection<?>) field(v, "validStrings")));
                d.put("ignoreCase", "true");
                break;
            case "org.apache.kafka.common.config.ConfigDef$ValidList": {
                Object inner = field(v, "validString");
                d.put("in", strings((Collection<?>) field(inner, "validStrings")));
                Object emptyAllowed = optionalField(v, "isEmptyAllowed");
                if (emptyAllowed != null) d.put("emptyAllowed", String.valueOf(emptyAllowed));
                break;
            }
            case "org.apache.kafka.common.config.ConfigDef$NonEmptyString":
                d.put("nonEmpty", "true");
                break;
            case "org.apache.kafka.common.config.ConfigDef$NonEmptyStringWithoutControlChars":
                d.put("nonEmpty", "true");
                d.put("noControlChars", "true");
                break;
            case "org.apache.kafka.common.config.ConfigDef$NonNullValidator":
                break;
            case "org.apache.kafka.common.config.ConfigDef$CompositeValidator":
                for (Object inner : (Collection<?>) field(v, "validators")) describe((ConfigDef.Validator) inner, d, unchecked);
                break;
            default:
                unchecked.add(String.valueOf(v));
        }
    }

    static Object field(Object o, String name) throws Exception {
        Field f = o.getClass().getDeclaredField(name);
        f.setAccessible(true);
        return f.get(o);
    }

    static Object optionalField(Object o, String name) throws Exception {
        try {
            return field(o, name);
        } catch (NoSuchFieldException e) {
            return null;
        }
    }

    static String strings(Collection<?> values) {
        List<String> quoted = new ArrayList<>();
        for (Object s : values) quoted.add(quote(String.valueOf(s)));
        quoted.sort(null);
        return "[" + String.join(", ", quoted) + "]";
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b.append('"').toString();
    }
}
