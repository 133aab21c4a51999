"""A Python program with a Kafka environment in it, through the SDK generated from kafka-env's schema.

Generate and install the SDK (see docs/component.md), then `pulumi up`:
    pulumi package get-schema <repo>/plugin/pulumi-resource-kafka-env > schema.json
    pulumi-sdkgen-python schema.json sdk && pip install pulumi ./sdk
"""

import pulumi
import pulumi_kafka_env as kafka_env

config = pulumi.Config()

kafka = kafka_env.KafkaEnvironment(
    "orders-kafka",
    target=kafka_env.Target.DOCKER,
    cluster=kafka_env.ClusterConfigArgs(
        mode=kafka_env.Mode.KRAFT,
        brokers=1,
        listeners=kafka_env.ListenersConfigArgs(external_port=config.get_int("externalPort") or 19092),
        kafka_ui=kafka_env.KafkaUiConfigArgs(enabled=False),
        # Default: apache/kafka from Docker Hub; the end-to-end test gives its local stand-in.
        images=kafka_env.ImagesConfigArgs(kafka=config.get("kafkaImage")),
        topics=[kafka_env.TopicConfigArgs(name="orders", partitions=3)],
        # Topics are protected from deletion unless this is false (the end-to-end test destroys the stack).
        protect_topics=config.get_bool("protectTopics"),
    ),
)

pulumi.export("bootstrapServers", kafka.bootstrap_servers)
