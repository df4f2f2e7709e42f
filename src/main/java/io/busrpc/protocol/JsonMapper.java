package io.busrpc.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper.Builder;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.vertx.core.json.jackson.VertxModule;

/**
 * busrpc's own Jackson {@link ObjectMapper}, configured once. Vert.x's shared mapper is left alone.
 *
 * <p>Floating point numbers bind as {@link java.math.BigDecimal} where the target type allows it, so
 * values such as {@code 1e400} keep their value instead of turning into {@code Infinity}. Jackson's
 * default nesting limit (1000 levels) applies, so deeply nested input fails fast instead of
 * exhausting the stack.
 */
public final class JsonMapper {

  private static final ObjectMapper MAPPER = create();

  private JsonMapper() {
  }

  /** @return the shared, fully configured mapper; do not reconfigure it */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** @return the mapper's JSON factory, for streaming parsers and generators */
  public static JsonFactory factory() {
    return MAPPER.getFactory();
  }

  private static ObjectMapper create() {
    Builder builder = com.fasterxml.jackson.databind.json.JsonMapper.builder()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      // A client sending "42" or 1.5 for an int gets -32602, not a silent conversion.
      .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
      .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
      .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
      // ...and 42, 1.5 or true for a String neither: ALLOW_COERCION_OF_SCALARS does not cover
      // coercions into text, which Jackson accepts by default.
      .withCoercionConfig(LogicalType.Textual, config -> config
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
      .addModule(new VertxModule());
    ObjectMapper mapper = builder.build();
    mapper.setNodeFactory(com.fasterxml.jackson.databind.node.JsonNodeFactory.withExactBigDecimals(true));
    return mapper;
  }
}
