//! Spanish ticket threads and knowledge-base articles.

use super::{Article, Phrases, SavedReply, Thread};

pub(super) static PHRASES: Phrases = Phrases {
    threads: [
        Thread {
            subject: "Cobro duplicado de la factura {number}",
            opening: "Hola:\n\nAcabo de revisar el extracto del banco y me habéis cobrado {amount} dos veces \
                por la factura {number} ({date}). ¿Podéis devolverme el cargo duplicado?\n\nGracias,\n\
                {first}",
            follow_up: "Hola de nuevo, ¿hay novedades sobre el cobro duplicado? Sigo viendo dos cargos en \
                la tarjeta.",
            reply: "Hola, {first}:\n\nGracias por avisarnos. He revisado la factura {number}: solo hemos \
                cobrado un pago de {amount}. El segundo movimiento es una retención temporal que tu banco \
                liberará en un plazo de 5 a 7 días hábiles. Si sigue apareciendo después, responde a este \
                mensaje y lo reembolsamos enseguida.\n\nUn saludo,\n{agent}",
            note: "Solo hay un pago correcto en {number}. Probablemente una retención del banco; pedir \
                captura del extracto si persiste.",
        },
        Thread {
            subject: "Ha fallado el pago de la factura {number}",
            opening: "Hola:\n\nMe ha llegado un correo diciendo que el pago de la factura {number} \
                ({amount}) ha fallado con el error \"{error}\". La tarjeta debería funcionar. ¿Qué tengo \
                que hacer?\n\n{first}",
            follow_up: "Ya he actualizado la tarjeta en el portal de facturación. ¿Podéis reintentar el \
                cobro?",
            reply: "Hola, {first}:\n\nEl banco rechazó el cargo con \"{error}\". En cuanto actualices el \
                método de pago en Ajustes > Facturación lo reintentamos automáticamente en 24 horas; \
                también puedes pagar {number} desde el enlace de la factura. Tu cuenta sigue activa \
                mientras tanto.\n\nUn saludo,\n{agent}",
            note: "{number} falló con {error}. Cliente en {plan}. No condonar; reintentar tras actualizar \
                la tarjeta.",
        },
        Thread {
            subject: "Solicitud de reembolso de {number}",
            opening: "Buenas:\n\nNos cobrasteis {amount} el {date} (factura {number}), pero dejamos de usar \
                el producto el mes pasado. ¿Es posible un reembolso de este periodo?\n\nSaludos,\n{first}",
            follow_up: "Os escribo otra vez por el reembolso. ¿Me podéis confirmar si está aprobado?",
            reply: "Hola, {first}:\n\nHe pasado tu solicitud al equipo de facturación para su aprobación. \
                El reembolso de {number} se hace al método de pago original y suele tardar entre 5 y 10 \
                días hábiles.\n\nUn saludo,\n{agent}",
            note: "Reembolso de {amount} sobre {number}: necesita aprobación de un supervisor.",
        },
        Thread {
            subject: "Copia de la factura {number}",
            opening: "Hola:\n\nNuestro departamento de contabilidad necesita una copia en PDF de la \
                factura {number} del {date}, con la dirección fiscal de la empresa. ¿Nos la podéis \
                enviar?\n\nGracias,\n{first}",
            follow_up: "Y si puede ser, también las facturas de los tres meses anteriores.",
            reply: "Hola, {first}:\n\nTe adjunto el PDF de {number}. Puedes descargar todas las facturas \
                en Ajustes > Facturación > Facturas y cambiar allí la dirección fiscal para las próximas \
                facturas.\n\nUn saludo,\n{agent}",
            note: "Enviado el PDF de {number}. Preguntó por la dirección fiscal: remitido a ajustes.",
        },
        Thread {
            subject: "Cambiar del plan {plan} a uno superior",
            opening: "Hola:\n\nEstamos creciendo y queremos pasar del plan {plan} a uno superior. ¿Cómo se \
                prorratea el precio si cambiamos a mitad de mes?\n\n{first}",
            follow_up: "¿Y si pasamos a facturación anual mantenemos el descuento?",
            reply: "Hola, {first}:\n\nAl mejorar el plan cobramos al momento la diferencia del resto del \
                periodo y la siguiente factura ya va con el precio nuevo. Con la facturación anual tienes \
                dos meses gratis. Puedes cambiarlo en Ajustes > Plan.\n\nUn saludo,\n{agent}",
            note: "Oportunidad de upgrade desde {plan}; pregunta por facturación anual.",
        },
        Thread {
            subject: "Cancelar la suscripción",
            opening: "Hola:\n\nPor favor, cancelad nuestra suscripción {plan} al final del periodo actual. \
                No queremos más cargos.\n\nGracias,\n{first}",
            follow_up: "¿Me confirmáis la cancelación? En mi cuenta todavía no aparece.",
            reply: "Hola, {first}:\n\nHecho: tu suscripción {plan} se cancelará al final del periodo \
                actual. Mantienes el acceso hasta entonces y no habrá más cargos. Las facturas siguen \
                disponibles para descargar.\n\nUn saludo,\n{agent}",
            note: "Cancelación al final del periodo. Motivo: presupuesto.",
        },
        Thread {
            subject: "Aviso de factura vencida {number}",
            opening: "Hola:\n\nHemos recibido un aviso de que la factura {number} ({amount}) venció el \
                {due}. Pensábamos que estaba pagada por transferencia. ¿Lo podéis comprobar?\n\n{first}",
            follow_up: "El banco confirma que la transferencia salió de nuestra cuenta con la referencia \
                {number}.",
            reply: "Hola, {first}:\n\nTodavía no hemos asociado ningún pago a {number}; a veces las \
                transferencias llegan sin el número de factura en el concepto. ¿Nos envías el \
                justificante? En cuanto lo asociemos se detienen los avisos, y no hay recargo mientras lo \
                revisamos.\n\nUn saludo,\n{agent}",
            note: "{number} sigue pendiente: {amount}. Revisar transferencias sin asignar antes de \
                escalar.",
        },
        Thread {
            subject: "Falta el NIF-IVA en la factura {number}",
            opening: "Hola:\n\nEn la factura {number} no aparece nuestro número de IVA intracomunitario y \
                el impuesto no parece correcto para una empresa. ¿Podéis añadirlo y volver a emitirla?\n\n\
                Gracias,\n{first}",
            follow_up: "Ya hemos añadido el NIF-IVA en el perfil de la empresa.",
            reply: "Hola, {first}:\n\nCon el número guardado en el perfil de facturación aparecerá en \
                todas las facturas nuevas. Una factura emitida no se puede modificar, pero podemos emitir \
                una factura rectificativa de {number}. Ya lo he pedido al equipo de facturación.\n\nUn \
                saludo,\n{agent}",
            note: "NIF-IVA añadido después de emitir {number}. Requiere rectificativa (supervisor).",
        },
    ],
    thanks: &[
        "¡Gracias, solucionado!",
        "Perfecto, muchas gracias por la rapidez.",
    ],
    articles: &[
        Article {
            title: "¿Por qué veo dos cargos por una sola factura?",
            body: "Al pagar con tarjeta, el banco primero hace una retención y después se cobra el \
                pago. Durante unos días pueden aparecer los dos movimientos en el extracto.\n\nLa \
                retención desaparece sola en 5 a 7 días hábiles. La factura muestra los pagos que hemos \
                cobrado de verdad: si solo aparece un pago correcto, se ha cobrado una vez.\n\nSi hay dos \
                pagos correctos para la misma factura, escribe a soporte con el número de factura y \
                devolvemos el duplicado.",
            tags: r#"["facturación","pagos","cobro-duplicado"]"#,
        },
        Article {
            title: "Qué hacer si falla el pago con tarjeta",
            body: "El pago falla cuando el banco lo rechaza: fondos insuficientes, tarjeta caducada, \
                do_not_honor o autenticación 3-D Secure sin completar. El motivo aparece en la \
                factura.\n\nActualiza el método de pago en Ajustes > Facturación. Reintentamos el cobro \
                automáticamente hasta cuatro veces, y enseguida después de actualizar la tarjeta.\n\nLa \
                cuenta sigue activa durante los reintentos.",
            tags: r#"["facturación","pagos","tarjeta-rechazada"]"#,
        },
        Article {
            title: "Política de reembolsos",
            body: "Las suscripciones mensuales no se reembolsan una vez empezado el periodo, pero puedes \
                cancelar en cualquier momento. Los planes anuales se reembolsan de forma proporcional \
                en los 30 días siguientes a la renovación.\n\nLos cobros duplicados y los errores de \
                facturación se reembolsan siempre por completo, al método de pago original, en 5 a 10 \
                días hábiles.",
            tags: r#"["facturación","reembolso"]"#,
        },
        Article {
            title: "Descargar facturas y cambiar los datos fiscales",
            body: "Todas las facturas están en PDF en Ajustes > Facturación > Facturas, también después \
                de cancelar.\n\nLa razón social, la dirección y el NIF-IVA salen del perfil de \
                facturación. Los cambios se aplican a las facturas nuevas; para una factura emitida, \
                soporte puede hacer una factura rectificativa.",
            tags: r#"["facturación","facturas","pdf"]"#,
        },
        Article {
            title: "Cancelar la suscripción",
            body: "Cancela en Ajustes > Plan > Cancelar suscripción. La suscripción sigue activa hasta el \
                final del periodo pagado y no se vuelve a cobrar.\n\nPuedes reactivarla antes de que \
                termine el periodo. Conservamos los datos 90 días.",
            tags: r#"["facturación","cancelación"]"#,
        },
        Article {
            title: "Facturas vencidas y avisos de pago",
            body: "Una factura vence si no está pagada en su fecha de vencimiento. Enviamos un aviso ese \
                día y otros a los 7 y 14 días.\n\nSi pagas por transferencia, indica el número de \
                factura en el concepto. Si no, envíanos el justificante y la asociamos a mano. No \
                cobramos recargos mientras revisamos un pago.",
            tags: r#"["facturación","vencida","transferencia"]"#,
        },
    ],
    saved_replies: &[
        SavedReply {
            title: "Copia de la factura",
            body: "Hola {{customer.first_name}}:\n\nTe enviamos una copia de la factura {{invoice.number}} ({{invoice.total}}). También puedes descargar todas tus facturas desde la página de Facturación de tu cuenta.\n\nUn saludo,\n{{agent.name}}",
        },
        SavedReply {
            title: "Pago fallido: actualiza tu tarjeta",
            body: "Hola {{customer.first_name}}:\n\nEl pago de la factura {{invoice.number}} no se pudo completar y quedan pendientes {{invoice.amount_due}} antes del {{invoice.due_date}}. Actualiza tu tarjeta en la página de Facturación; reintentaremos el cobro automáticamente.\n\nUn saludo,\n{{agent.name}}",
        },
        SavedReply {
            title: "Reembolso en camino",
            body: "Hola {{customer.first_name}}:\n\nHemos reembolsado el pago duplicado de la factura {{invoice.number}}. Según tu banco, tardará entre 5 y 10 días hábiles en aparecer en tu extracto.\n\nUn saludo,\n{{agent.name}}",
        },
        SavedReply {
            title: "¿Qué factura?",
            body: "Hola {{customer.first_name}}:\n\nGracias por escribirnos. ¿Nos indicas el número de factura (empieza por INV-) o la fecha y el importe del cargo? Así lo revisamos enseguida.\n\nUn saludo,\n{{agent.name}}",
        },
    ],
};
