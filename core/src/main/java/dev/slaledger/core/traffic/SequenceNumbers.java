package dev.slaledger.core.traffic;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * Kinesis sequence numbers: decimal strings of up to 129 digits (56 in practice), larger than
 * a DynamoDB number (38 digits) can hold. Kept in DynamoDB as a binary value that orders
 * exactly like the number: one length byte, then the unsigned big-endian magnitude. DynamoDB
 * compares binary values byte by byte as unsigned, so {@code <} and {@code =} in a condition
 * expression compare sequence numbers numerically; a 56-digit number takes 25 bytes.
 */
public final class SequenceNumbers {
    private SequenceNumbers() {
    }

    /** Numeric order of two canonical decimal strings (no sign, no leading zeros). */
    public static int compare(String a, String b) {
        return a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
    }

    /** True for a canonical decimal sequence number. */
    public static boolean isCanonical(String s) {
        if (s == null || s.isEmpty() || s.length() > 200 || (s.length() > 1 && s.charAt(0) == '0')) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    public static byte[] encode(String decimal) {
        byte[] twos = new BigInteger(decimal).toByteArray();
        int skip = 0;
        while (skip < twos.length && twos[skip] == 0) {
            skip++;
        }
        int n = twos.length - skip;
        if (n > 255) {
            throw new IllegalArgumentException("sequence number too large: " + decimal.length() + " digits");
        }
        byte[] out = new byte[n + 1];
        out[0] = (byte) n;
        System.arraycopy(twos, skip, out, 1, n);
        return out;
    }

    public static String decode(byte[] encoded) {
        if (encoded.length == 0 || (encoded[0] & 0xff) != encoded.length - 1) {
            throw new IllegalArgumentException("not an encoded sequence number");
        }
        return new BigInteger(1, Arrays.copyOfRange(encoded, 1, encoded.length)).toString();
    }
}
