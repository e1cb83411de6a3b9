/**
 * mosquitto.conf-compatible configuration loading.
 *
 * <p>{@link io.midge.server.config.ConfigParser} reads a mosquitto 2.0 style configuration file
 * (plus any {@code include_dir} files) once and turns it into an immutable, fully validated
 * {@link io.midge.server.config.BrokerConfig}. Every problem is reported as a
 * {@link io.midge.server.config.ConfigException} whose message starts with {@code FILE:LINE:}, and
 * options that are accepted but not acted upon yet are listed in
 * {@link io.midge.server.config.BrokerConfig#warnings()}.
 */
package io.midge.server.config;
