"""Parses a Prometheus text exposition from stdin with the official Python client's parser
(Debian's python3-prometheus-client) and prints every sample on a line of its own:
SAMPLE<TAB>VALUE<TAB>FAMILY_TYPE, where SAMPLE is name{label="value",...} with the labels in
name order. A text the parser refuses makes it exit 1 with the parser's error."""
import sys

from prometheus_client.parser import text_string_to_metric_families


def main():
    text = sys.stdin.read()
    try:
        families = list(text_string_to_metric_families(text))
    except Exception as error:  # the parser raises ValueError and friends; any of them is a failure
        print("PARSE ERROR: %r" % (error,), file=sys.stderr)
        return 1
    for family in families:
        for sample in family.samples:
            labels = ",".join('%s="%s"' % (k, v) for k, v in sorted(sample.labels.items()))
            print("%s{%s}\t%r\t%s" % (sample.name, labels, float(sample.value), family.type))
    return 0


if __name__ == "__main__":
    sys.exit(main())
