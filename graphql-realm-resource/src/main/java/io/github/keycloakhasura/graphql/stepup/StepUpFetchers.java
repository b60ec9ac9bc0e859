package io.github.keycloakhasura.graphql.stepup;

import graphql.schema.DataFetchingEnvironment;
import io.github.keycloakhasura.graphql.api.TransactionMode;

import java.util.function.Function;

/** {@code elevate}: reads its arguments and asks the {@link StepUp} port. */
public final class StepUpFetchers {

    private final Function<DataFetchingEnvironment, StepUp> port;
    private final Function<DataFetchingEnvironment, TransactionMode> transaction;

    /** {@code port}: the request's port; {@code transaction}: the transaction a mutation field runs in. */
    public StepUpFetchers(Function<DataFetchingEnvironment, StepUp> port,
                          Function<DataFetchingEnvironment, TransactionMode> transaction) {
        this.port = port;
        this.transaction = transaction;
    }

    public Object elevate(DataFetchingEnvironment env) {
        StepUp.Proof proof = StepUp.Proof.of(env.getArgument("password"), env.getArgument("otp"), env.getArgument("passkey"));
        return port.apply(env).elevate(env.getArgument("refreshToken"), proof, transaction.apply(env));
    }
}
