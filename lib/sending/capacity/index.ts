export { capDay, releaseSend, reservationStatement, reserveSend, type Reservation, type ReserveSendInput } from "./reserve-send";
export { sentTodaySql } from "./sent-today";
export { readUsedToday, type UsedToday } from "./used-today";
