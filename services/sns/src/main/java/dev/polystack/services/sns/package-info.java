/**
 * Native SNS: {@link dev.polystack.services.sns.SnsProvider} (operations and state),
 * {@link dev.polystack.services.sns.FilterPolicy} (subscription filter policies),
 * {@link dev.polystack.services.sns.SnsDelivery} (asynchronous fan-out to SQS, HTTP(S), Lambda, Firehose).
 */
package dev.polystack.services.sns;
