-- The orders table of orders.csv, in the DDL a warehouse would keep.
CREATE TABLE shop.orders (
    order_id    BIGINT PRIMARY KEY,
    email       VARCHAR(254) CHECK (email LIKE '%@%'),
    amount      NUMERIC(10, 2) NOT NULL DEFAULT 0 CHECK (amount >= 0),
    currency    CHAR(3) NOT NULL CHECK (currency IN ('EUR', 'GBP', 'USD')),
    order_date  DATE NOT NULL CHECK (order_date BETWEEN '2020-01-01' AND '2030-12-31'),
    CONSTRAINT orders_email_currency UNIQUE (email, currency)
);

COMMENT ON TABLE shop.orders IS 'One order per row.';
COMMENT ON COLUMN shop.orders.amount IS 'Total in the order''s currency.';

CREATE INDEX orders_by_date ON shop.orders (order_date);
