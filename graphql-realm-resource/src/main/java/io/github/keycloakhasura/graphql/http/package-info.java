/** GraphQL over HTTP (transport): methods, media types, CORS, body limits, status codes. Imports the engine and {@code api}. */
package io.github.keycloakhasura.graphql.http;
