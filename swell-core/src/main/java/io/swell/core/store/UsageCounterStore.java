package io.swell.core.store;

import java.util.Map;

/** Named usage counters that only grow (Wave's {@code metrics/v1} hash), shared by every replica. */
public interface UsageCounterStore {

    /** Adds each delta to its counter, creating counters that do not exist yet. */
    void add(Map<String, Long> deltas);

    /** The value of a counter, 0 when it was never counted. */
    long get(String name);
}
