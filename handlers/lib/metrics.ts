// Counters the handlers emit. In Lambda they are written as CloudWatch Embedded Metric Format lines
// (one JSON line on stdout becomes a metric, no API call or extra dependency); tests record them instead.

export interface CounterSink {
    count(name: string, value?: number): void;
}

export function embeddedMetricSink(
    namespace: string,
    service: string,
    write: (line: string) => void = (line) => process.stdout.write(line + "\n"),
): CounterSink {
    return {
        count(name, value = 1) {
            write(
                JSON.stringify({
                    _aws: {
                        Timestamp: Date.now(),
                        CloudWatchMetrics: [{ Namespace: namespace, Dimensions: [["service"]], Metrics: [{ Name: name, Unit: "Count" }] }],
                    },
                    service,
                    [name]: value,
                }),
            );
        },
    };
}

/** Records counts in memory; used by tests and the benchmark. */
export class RecordingCounterSink implements CounterSink {
    readonly counts = new Map<string, number>();
    count(name: string, value = 1): void {
        this.counts.set(name, (this.counts.get(name) ?? 0) + value);
    }
    get(name: string): number {
        return this.counts.get(name) ?? 0;
    }
}
