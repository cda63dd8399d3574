// Batchers these tests create by hand under a name, so that configuration for them is known at start-up.
[assembly: MicroBatching.MicroBatcherName("lookup")]
[assembly: MicroBatching.MicroBatcherName("fast")]
[assembly: MicroBatching.MicroBatcherName("orders")]
