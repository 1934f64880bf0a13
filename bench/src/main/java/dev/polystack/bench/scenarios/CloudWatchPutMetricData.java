package dev.polystack.bench.scenarios;

import dev.polystack.bench.Scenario;
import dev.polystack.bench.Target;

/**
 * CloudWatch PutMetricData of one datum with a dimension, in the query protocol (what moto's server and older SDKs
 * speak; boto3 now sends CBOR), each worker into its own metric.
 */
public class CloudWatchPutMetricData implements Scenario {
    @Override
    public String name() {
        return "cloudwatch-put-metric-data";
    }

    @Override
    public void setup(Target target) {
    }

    @Override
    public void iterate(Target target, int worker, long iteration) throws Exception {
        target.query("monitoring", "Action=PutMetricData&Version=2010-08-01&Namespace=Bench"
                + "&MetricData.member.1.MetricName=latency-" + (worker % 256)
                + "&MetricData.member.1.Dimensions.member.1.Name=Worker&MetricData.member.1.Dimensions.member.1.Value=w" + worker
                + "&MetricData.member.1.Value=" + (iteration % 100) + "&MetricData.member.1.Unit=Milliseconds");
    }
}
