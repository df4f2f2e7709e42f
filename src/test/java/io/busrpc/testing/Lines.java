package io.busrpc.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Reads newline-framed answers from a plain socket's stream, for tests that hold thousands of them. */
public final class Lines {

  private Lines() {
  }

  /**
   * @return the next line, without its newline
   * @throws IOException when the stream ends before a newline
   */
  public static String read(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(128);
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new IOException("closed before a line came");
      }
      line.write(b);
    }
    return line.toString(StandardCharsets.UTF_8);
  }
}
