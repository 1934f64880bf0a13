package dev.polystack.services.dynamodb;

import java.math.BigDecimal;

/** DynamoDB's number type: up to 38 significant digits, magnitudes from 1E-130 to 9.9999...E+125. */
final class Numbers {
    private static final BigDecimal MAX = new BigDecimal("1E126");
    private static final BigDecimal MIN = new BigDecimal("1E-130");

    private Numbers() {
    }

    /** Parses and checks a number as DynamoDB does, with its error texts. */
    static BigDecimal parse(String text) {
        BigDecimal v;
        try {
            String t = text.strip();
            if (t.isEmpty() || t.endsWith(".") && t.length() == 1) throw new NumberFormatException();
            v = new BigDecimal(t);
        } catch (NumberFormatException | ArithmeticException e) {
            throw Errors.validation("A value provided cannot be converted into a number");
        }
        return check(v);
    }

    /** Checks the result of arithmetic (ADD, SET a = b + c) against the same limits. */
    static BigDecimal check(BigDecimal v) {
        if (v.signum() == 0) return BigDecimal.ZERO;
        BigDecimal stripped = v.stripTrailingZeros();
        if (stripped.precision() > 38) {
            throw Errors.validation("Attempting to store more than 38 significant digits in a Number");
        }
        BigDecimal abs = stripped.abs();
        if (abs.compareTo(MAX) >= 0) {
            throw Errors.validation("Number overflow. Attempting to store a number with magnitude larger than supported range");
        }
        if (abs.compareTo(MIN) < 0) {
            throw Errors.validation("Number underflow. Attempting to store a number with magnitude smaller than supported range");
        }
        return stripped;
    }
}
