/**
 * The capability kernel: what a capability package implements ({@code Capability}: its SDL part and wiring) and
 * uses ({@code RequestContext}, {@code Ports}, {@code Transactions}, {@code Arguments}, {@code ContextFetcher}).
 * Imports only {@code api}.
 */
package io.github.keycloakhasura.graphql.capability;
