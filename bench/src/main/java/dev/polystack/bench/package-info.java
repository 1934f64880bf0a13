/** JMH benchmarks of the gateway's hot paths (run with bench/jmh.sh). */
package dev.polystack.bench;
