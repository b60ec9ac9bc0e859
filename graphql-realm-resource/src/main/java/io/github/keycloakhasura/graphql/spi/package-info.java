/**
 * The composition root: the SPI factory and provider, the one list of capabilities ({@code Capabilities}) and of
 * per-request ports ({@code KeycloakPorts}). It imports every layer; no other package imports it.
 */
package io.github.keycloakhasura.graphql.spi;
