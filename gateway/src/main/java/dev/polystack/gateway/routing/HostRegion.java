package dev.polystack.gateway.routing;

/**
 * The region an AWS-style host name carries, for requests whose signature names none (unsigned, SigV2):
 * {@code sqs.eu-west-1.localhost.localstack.cloud}, {@code s3.eu-west-2.amazonaws.com},
 * {@code <bucket>.s3.eu-central-1.amazonaws.com}, {@code s3.dualstack.ap-south-1.amazonaws.com}, and S3's legacy
 * dash forms {@code <bucket>.s3-eu-west-1.amazonaws.com} and {@code s3-website-us-west-2.amazonaws.com}.
 * A SigV4 credential scope's region wins over it.
 */
public final class HostRegion {
    private HostRegion() {
    }

    /** The region named by the host, or null. The last region-like label counts: bucket labels come first. */
    public static String of(String host) {
        String[] labels = HostRule.serviceLabels(host);
        if (labels == null) return null;
        for (int i = labels.length - 1; i >= 0; i--) {
            String label = labels[i];
            if (looksLikeRegion(label)) return label;
            for (String prefix : new String[]{"s3-website-", "s3-"}) {
                if (label.startsWith(prefix) && looksLikeRegion(label.substring(prefix.length()))) {
                    return label.substring(prefix.length());
                }
            }
            if (isS3Label(label)) return null; // the labels before S3's are the bucket's
        }
        return null;
    }

    private static boolean isS3Label(String label) {
        return label.equals("s3") || label.startsWith("s3-");
    }

    /**
     * {@code <area>-<direction>-<n>} with optional partition parts: us-east-1, eu-central-2, us-gov-west-1,
     * cn-north-1, us-isob-east-1, ap-southeast-5. Without a regex: this runs on every unsigned request.
     */
    static boolean looksLikeRegion(String label) {
        String[] parts = label.split("-", -1);
        if (parts.length < 3 || parts.length > 4) return false;
        if (parts[0].length() != 2 || !letters(parts[0])) return false;
        for (int i = 1; i < parts.length - 1; i++) {
            if (parts[i].isEmpty() || !letters(parts[i])) return false;
        }
        String number = parts[parts.length - 1];
        if (number.isEmpty() || number.length() > 2) return false;
        for (int i = 0; i < number.length(); i++) {
            if (!Character.isDigit(number.charAt(i))) return false;
        }
        return true;
    }

    private static boolean letters(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 'a' || c > 'z') return false;
        }
        return true;
    }
}
