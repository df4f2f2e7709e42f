package io.busrpc.bench;

/** The checks the setters of the bench tool's options classes share; each message names the option. */
final class OptionChecks {

  private OptionChecks() {
  }

  /** @return {@code value}; throws {@link IllegalArgumentException} unless it is in {@code min..max} */
  static int range(String name, int value, int min, int max) {
    return (int) range(name, (long) value, min, max);
  }

  /** @return {@code value}; throws {@link IllegalArgumentException} unless it is in {@code min..max} */
  static long range(String name, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", was " + value);
    }
    return value;
  }

  /** @return {@code value}; throws {@link IllegalArgumentException} when it is below {@code min} */
  static int atLeast(String name, int value, int min) {
    return (int) atLeast(name, (long) value, min);
  }

  /** @return {@code value}; throws {@link IllegalArgumentException} when it is below {@code min} */
  static long atLeast(String name, long value, long min) {
    if (value < min) {
      throw new IllegalArgumentException(name + " must be at least " + min + ", was " + value);
    }
    return value;
  }

  /** @return {@code value}; throws {@link IllegalArgumentException} when it is null or blank */
  static String notBlank(String name, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be empty");
    }
    return value;
  }
}
