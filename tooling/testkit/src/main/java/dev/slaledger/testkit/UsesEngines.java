package dev.slaledger.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks an integration test class (or method) that talks to the {@link Engines}. Under
 * {@code -Plocalstack} without a Docker engine it is disabled before anything of it runs, so its
 * tests are reported as skipped (not failed, not silently absent), and {@link SkipReport} counts
 * them in one line. With engines available it changes nothing.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(EnginesCondition.class)
public @interface UsesEngines {
}
