declare const brand: unique symbol;

/** A nominal type: a `T` that the compiler will not confuse with another `T`. */
export type Brand<T, B extends string> = T & { readonly [brand]: B };

/** An exchange-local trading date, `YYYY-MM-DD`. Never a `Date` at midnight. */
export type TradingDate = Brand<string, 'TradingDate'>;
