package io.busrpc.protocol.codec;

import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.JsonRpcParser;
import io.busrpc.protocol.RpcException;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Random and mutated input, from a fixed seed, through the frame decoder (every framing, random
 * maximum sizes, random chunking, pauses like the gateway's backpressure) and the JSON-RPC parser:
 * nothing throws, errors are reported the documented way, and the decoder never buffers more than
 * its limit plus the chunk at hand.
 */
class FuzzTest {

  private static final long SEED = 0xB05_2025L;
  private static final int INPUTS = 100_000;
  private static final String[] VALID = {
    "{\"jsonrpc\":\"2.0\",\"method\":\"subtract\",\"params\":[42,23],\"id\":1}",
    "{\"jsonrpc\":\"2.0\",\"method\":\"subtract\",\"params\":{\"subtrahend\":23,\"minuend\":42},\"id\":\"a\"}",
    "{\"jsonrpc\":\"2.0\",\"method\":\"update\",\"params\":[1,2,3,4,5]}",
    "[{\"jsonrpc\":\"2.0\",\"method\":\"sum\",\"params\":[1,2,4],\"id\":\"1\"},{\"jsonrpc\":\"2.0\",\"method\":\"notify_hello\",\"params\":[7]},"
      + "{\"foo\":\"boo\"},{\"jsonrpc\":\"2.0\",\"method\":\"get_data\",\"id\":\"9\"}]",
    "{\"jsonrpc\":\"2.0\",\"result\":{\"a\":[1,2.5e10,-0,null,true,\"ü世界\\u0000\"]},\"id\":null}",
    "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32000,\"message\":\"x\",\"data\":[[[[]]]]},\"id\":3}",
    "{\"jsonrpc\":\"2.0\",\"method\":\"rpc.login\",\"params\":{\"uid\":\"😀\"},\"id\":123456789012345678901234567890}",
    "[]",
    "{}",
  };

  private final Random random = new Random(SEED);

  @Test
  void decoderAndParserSurviveRandomAndMutatedInput() {
    long frames = 0;
    long errors = 0;
    long parsed = 0;
    long t0 = System.nanoTime();
    for (int i = 0; i < INPUTS; i++) {
      int max = random.nextInt(4) == 0 ? random.nextInt(64) : random.nextInt(4096);
      byte[] input = random.nextInt(3) == 0 ? randomBytes() : mutate(validStream());
      int[] emitted = {0};
      int[] failures = {0};
      boolean[] pauseNext = {false};
      FrameDecoder[] decoder = new FrameDecoder[1];
      decoder[0] = new FrameDecoder(max, frame -> {
        assertTrue(frame.length() <= max, "emitted " + frame.length() + " bytes with max " + max);
        emitted[0]++;
        parse(frame);
        if (pauseNext[0]) {
          decoder[0].pause();
        }
      }, e -> {
        failures[0]++;
        assertTrue(e.kind() != null && e.getMessage() != null);
      });
      int pos = 0;
      while (pos < input.length) {
        int size = 1 + random.nextInt(Math.min(input.length - pos, random.nextBoolean() ? 16 : 2048));
        Buffer chunk = Buffer.buffer().appendBytes(input, pos, size);
        pos += size;
        pauseNext[0] = random.nextInt(8) == 0;
        decoder[0].handle(chunk);
        long bound = Math.max(max + 1L, FrameDecoder.MAX_HEADER_BLOCK) + size;
        assertTrue(decoder[0].bufferedBytes() <= bound,
          "buffered " + decoder[0].bufferedBytes() + " > " + bound + " (max " + max + ", input " + i + ")");
        // Like the gateway: no new chunk arrives while paused; resume before the next one.
        pauseNext[0] = false;
        while (decoder[0].isPaused()) {
          decoder[0].resume();
        }
      }
      assertTrue(failures[0] <= 1, "error handler called " + failures[0] + " times");
      frames += emitted[0];
      errors += failures[0];
    }
    for (int i = 0; i < INPUTS; i++) {
      byte[] input = random.nextInt(3) == 0 ? randomBytes() : mutate(VALID[random.nextInt(VALID.length)].getBytes(StandardCharsets.UTF_8));
      if (parse(Buffer.buffer(input))) {
        parsed++;
      }
    }
    System.out.printf("FIGURE fuzz: %d decoder inputs -> %d frames, %d framing errors; %d more parser inputs,"
      + " %d parsed; %d ms%n", INPUTS, frames, errors, INPUTS, parsed, (System.nanoTime() - t0) / 1_000_000);
  }

  /** @return true when parsed; an RpcException must be a parse error, anything else fails the test */
  private static boolean parse(Buffer frame) {
    try {
      JsonRpcParser.parse(frame);
      return true;
    } catch (RpcException e) {
      assertEquals(ErrorCode.PARSE_ERROR.code(), e.code(), e.getMessage());
      return false;
    } catch (RuntimeException | StackOverflowError e) {
      fail("parser threw " + e + " for " + frame.toString(StandardCharsets.ISO_8859_1), e);
      return false;
    }
  }

  private byte[] randomBytes() {
    byte[] bytes = new byte[random.nextInt(300)];
    random.nextBytes(bytes);
    if (bytes.length > 0 && random.nextBoolean()) {
      byte[] starts = {0, '{', '[', ' ', 'C', 'c', '\n'};
      bytes[0] = starts[random.nextInt(starts.length)];
    }
    return bytes;
  }

  /** A few valid requests, all in one randomly chosen framing. */
  private byte[] validStream() {
    Framing framing = Framing.values()[random.nextInt(Framing.values().length)];
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int n = 1 + random.nextInt(4);
    for (int i = 0; i < n; i++) {
      String json = VALID[random.nextInt(VALID.length)];
      if (random.nextInt(10) == 0) {
        json = "[".repeat(random.nextInt(2000)) + json; // deep nesting
      }
      out.writeBytes(framing.encode(Buffer.buffer(json)).getBytes());
    }
    return out.toByteArray();
  }

  private byte[] mutate(byte[] input) {
    byte[] out = input.clone();
    switch (random.nextInt(5)) {
      case 0 -> { // truncate
        return java.util.Arrays.copyOf(out, out.length == 0 ? 0 : random.nextInt(out.length));
      }
      case 1 -> { // flip bytes
        for (int k = random.nextInt(4); k >= 0 && out.length > 0; k--) {
          out[random.nextInt(out.length)] ^= (byte) (1 << random.nextInt(8));
        }
      }
      case 2 -> { // overwrite with random bytes
        for (int k = random.nextInt(4); k >= 0 && out.length > 0; k--) {
          out[random.nextInt(out.length)] = (byte) random.nextInt(256);
        }
      }
      case 3 -> { // insert random bytes
        if (out.length > 0) {
          int at = random.nextInt(out.length);
          byte[] extra = new byte[1 + random.nextInt(8)];
          random.nextBytes(extra);
          ByteArrayOutputStream b = new ByteArrayOutputStream();
          b.write(out, 0, at);
          b.writeBytes(extra);
          b.write(out, at, out.length - at);
          return b.toByteArray();
        }
      }
      default -> { // unchanged: valid input, split at random points by the caller
      }
    }
    return out;
  }
}
