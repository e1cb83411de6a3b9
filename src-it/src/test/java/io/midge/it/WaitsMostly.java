package io.midge.it;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * A test class that spends its time waiting on brokers rather than working them: bridges
 * reconnecting after their restart_timeout, sessions and messages expiring. These classes run on
 * a second thread, one at a time, alongside the other classes, which still run one after
 * another (junit-platform.properties); on two cores that takes minutes off the default run
 * without putting two busy tests side by side.
 *
 * <p>The lock they share keeps them to one class at a time, and JUnit runs the methods of a class
 * holding a lock one after another, in their order, so a class keeps its shared pairs of brokers
 * to itself.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock("waits-mostly")
@interface WaitsMostly {
}
